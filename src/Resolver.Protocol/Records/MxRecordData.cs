using System.Globalization;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>MX (RFC 1035 §3.3.9).</summary>
public sealed class MxRecordData(ushort preference, DnsName exchange) : DnsRecordData
{
    public ushort Preference { get; } = preference;
    public DnsName Exchange { get; } = exchange;

    public static MxRecordData Read(ref DnsReader reader) => new(reader.ReadUInt16(), reader.ReadName());

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(Preference);
        writer.WriteName(Exchange);
    }

    public override string ToText() => Preference.ToString(CultureInfo.InvariantCulture) + " " + Exchange;
}
