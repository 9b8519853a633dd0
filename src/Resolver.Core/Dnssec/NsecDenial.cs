using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4035 §5.4 with NSEC: NXDOMAIN needs an NSEC covering the name and one covering the
/// wildcard at its closest encloser; NODATA needs the name's own NSEC without the type (nor
/// CNAME), or for an empty non-terminal a covering NSEC whose next name lies below it; a wildcard
/// answer needs an NSEC covering the name (no closer match). Every record given must already
/// have verified.
/// </summary>
public static class NsecDenial
{
    public static DenialResult ProveNameError(IReadOnlyList<ProvenRecord<NsecRecordData>> nsecs, DnsName name)
    {
        var covering = FindCovering(nsecs, name);
        if (covering is not { } cover)
            return DenialResult.NotProven;
        // The closest encloser is the longest ancestor shared with the covering NSEC's ends (RFC 4035 §5.4).
        var encloser = Longer(CommonAncestor(name, cover.Owner), CommonAncestor(name, cover.Data.NextName));
        var wildcard = DnsName.Parse("*").Append(encloser);
        foreach (var nsec in nsecs)
        {
            if (nsec.Owner == wildcard)
                return DenialResult.NotProven; // the wildcard exists: the answer should have been synthesised
            if (CanonicalNameOrder.Covers(nsec.Owner, nsec.Data.NextName, wildcard))
                return DenialResult.Proven;
        }
        return DenialResult.NotProven;
    }

    public static DenialResult ProveNoData(IReadOnlyList<ProvenRecord<NsecRecordData>> nsecs, DnsName name, RecordType type)
    {
        foreach (var nsec in nsecs)
        {
            if (nsec.Owner != name)
                continue;
            return LacksType(nsec.Data.Types, type) ? DenialResult.Proven : DenialResult.NotProven;
        }
        // An empty non-terminal: no NSEC of its own, but the covering one's next name is below it.
        var covering = FindCovering(nsecs, name);
        if (covering is { } cover && cover.Data.NextName.IsSubdomainOf(name))
            return DenialResult.Proven;
        // Wildcard NODATA (RFC 4035 §3.1.3.4): the name is covered and the wildcard's NSEC lacks the type.
        if (covering is { } wildcardCover)
        {
            var encloser = Longer(CommonAncestor(name, wildcardCover.Owner), CommonAncestor(name, wildcardCover.Data.NextName));
            var wildcard = DnsName.Parse("*").Append(encloser);
            foreach (var nsec in nsecs)
            {
                if (nsec.Owner == wildcard && LacksType(nsec.Data.Types, type))
                    return DenialResult.Proven;
            }
        }
        return DenialResult.NotProven;
    }

    /// <summary>RFC 4035 §5.3.4: a wildcard expansion is valid only if no closer name exists.</summary>
    public static DenialResult ProveNoCloserMatch(IReadOnlyList<ProvenRecord<NsecRecordData>> nsecs, DnsName name) =>
        FindCovering(nsecs, name) is null ? DenialResult.NotProven : DenialResult.Proven;

    // The type and CNAME absent; at a delegation (NS without SOA: the parent's side) only DS may be denied.
    private static bool LacksType(TypeBitmap types, RecordType type)
    {
        if (types.Contains(type) || types.Contains(RecordType.CNAME))
            return false;
        return type == RecordType.DS || !types.Contains(RecordType.NS) || types.Contains(RecordType.SOA);
    }

    private static ProvenRecord<NsecRecordData>? FindCovering(IReadOnlyList<ProvenRecord<NsecRecordData>> nsecs, DnsName name)
    {
        foreach (var nsec in nsecs)
        {
            if (CanonicalNameOrder.Covers(nsec.Owner, nsec.Data.NextName, name))
                return nsec;
        }
        return null;
    }

    internal static DnsName CommonAncestor(DnsName a, DnsName b)
    {
        var candidate = a;
        while (!candidate.IsRoot && !b.IsSubdomainOf(candidate))
            candidate = candidate.Parent();
        return candidate;
    }

    private static DnsName Longer(DnsName a, DnsName b) => a.LabelCount >= b.LabelCount ? a : b;
}
