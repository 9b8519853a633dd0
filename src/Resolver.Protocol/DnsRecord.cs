using System.Globalization;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol;

/// <summary>A resource record (RFC 1035 §4.1.3): owner, type, class, TTL and typed data.</summary>
public sealed record DnsRecord(DnsName Name, RecordType Type, RecordClass Class, uint Ttl, DnsRecordData Data)
{
    /// <summary>The record as dig prints it: owner, TTL, class, type and RDATA separated by tabs.</summary>
    public override string ToString() =>
        Name + "\t" + Ttl.ToString(CultureInfo.InvariantCulture) + "\t" + Mnemonics.ClassToText(Class)
        + "\t" + Mnemonics.TypeToText(Type) + "\t" + Data.ToText();

    /// <summary>Same record with another TTL (cache aging, serve-stale).</summary>
    public DnsRecord WithTtl(uint ttl) => this with { Ttl = ttl };
}
