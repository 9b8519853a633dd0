using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Zones;

/// <summary>
/// DNAME redirection of a name below a DNAME's owner (RFC 6672 §2.2): the owner suffix of the name
/// is replaced by the DNAME's target, and the answer carries a CNAME synthesized from the name to
/// the result (RFC 6672 §3.1), so resolvers that know nothing of DNAME can still follow it.
/// </summary>
internal static class DnameSubstitution
{
    private const int MaxNameLength = 255;

    /// <summary>
    /// The DNAME record at <paramref name="owner"/> (one per name, RFC 6672 §2.4).
    /// </summary>
    public static DnsRecord Record(ZoneNode owner) => owner.Dname!.Records[0];

    /// <summary>
    /// <paramref name="name"/> (strictly below <paramref name="owner"/>) with the owner suffix
    /// replaced by the DNAME's target; null when the result would be longer than 255 octets, which
    /// is answered YXDOMAIN (RFC 6672 §2.2).
    /// </summary>
    public static DnsName? Substitute(DnsName name, ZoneNode owner)
    {
        var target = ((NameRecordData)Record(owner).Data).Target;
        var wire = name.Wire;
        // The labels of the name above the owner are kept as they are (the client's case included).
        int prefix = WireNameKey.SkipLabels(wire, name.LabelCount - owner.Name.LabelCount);
        int length = prefix + target.WireLength;
        if (length > MaxNameLength)
            return null;
        Span<byte> result = stackalloc byte[MaxNameLength];
        wire[..prefix].CopyTo(result);
        target.Wire.CopyTo(result[prefix..]);
        return DnsName.FromWire(result[..length]);
    }

    /// <summary>
    /// The CNAME from <paramref name="name"/> to <paramref name="target"/>, with the DNAME's TTL
    /// (RFC 6672 §3.1: the synthesized CNAME's TTL is that of the DNAME).
    /// </summary>
    public static DnsRecord SynthesizeCname(DnsName name, DnsName target, DnsRecord dname) =>
        new(name, RecordType.CNAME, dname.Class, dname.Ttl, new NameRecordData(RecordType.CNAME, target));
}
