using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>SRV (RFC 2782): where a service runs, as "priority weight port target".</summary>
public sealed class SrvRecordData(ushort priority, ushort weight, ushort port, DnsName target) : DnsRecordData
{
    public ushort Priority { get; } = priority;
    public ushort Weight { get; } = weight;
    public ushort Port { get; } = port;
    public DnsName Target { get; } = target;

    // RFC 2782 forbids compressing the target, but RFC 3597 §4 asks receivers to decompress
    // SRV anyway because old servers did compress it: read tolerantly, write uncompressed.
    public static SrvRecordData Read(ref DnsReader reader) =>
        new(reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadName());

    internal static SrvRecordData ParseText(RdataTokenReader tokens) =>
        new(tokens.ReadUInt16("priority"), tokens.ReadUInt16("weight"), tokens.ReadUInt16("port"), tokens.ReadName("target"));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress: false);
    }

    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}");
}
