using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// RDATA that is a single name: NS, CNAME, PTR (RFC 1035, compressible) and DNAME (RFC 6672,
/// never compressed, as RFC 3597 §4 requires for types defined after RFC 1035).
/// </summary>
public sealed class NameRecordData(RecordType type, DnsName target) : DnsRecordData
{
    public RecordType Type { get; } = type;

    public DnsName Target { get; } = target;

    private bool Compressible => Type is RecordType.NS or RecordType.CNAME or RecordType.PTR;

    public static NameRecordData Read(RecordType type, ref DnsReader reader)
    {
        var target = type == RecordType.DNAME ? reader.ReadUncompressedName() : reader.ReadName();
        return new NameRecordData(type, target);
    }

    public override void WriteTo(ref DnsWriter writer) => writer.WriteName(Target, Compressible);

    public override string ToText() => Target.ToString();
}
