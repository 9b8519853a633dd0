using System.Globalization;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>SOA (RFC 1035 §3.3.13). MINIMUM is the negative-caching TTL (RFC 2308 §4).</summary>
public sealed class SoaRecordData(DnsName primaryServer, DnsName responsibleMailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    : DnsRecordData
{
    public DnsName PrimaryServer { get; } = primaryServer;
    public DnsName ResponsibleMailbox { get; } = responsibleMailbox;
    public uint Serial { get; } = serial;
    public uint Refresh { get; } = refresh;
    public uint Retry { get; } = retry;
    public uint Expire { get; } = expire;
    public uint Minimum { get; } = minimum;

    public static SoaRecordData Read(ref DnsReader reader) =>
        new(reader.ReadName(), reader.ReadName(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteName(PrimaryServer);
        writer.WriteName(ResponsibleMailbox);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }

    public override string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"{PrimaryServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}
