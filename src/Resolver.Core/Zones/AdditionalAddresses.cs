using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Zones;

/// <summary>
/// Additional section processing (RFC 1034 §4.3.2 step 6, RFC 1035 §3.3.9, RFC 2782): the A and
/// AAAA records of the names an MX, SRV or NS answer points at, when a local zone holds them as
/// its own data, so the client need not ask for them. Names below a zone cut, or only covered by
/// a wildcard, are left out: the client asks for those.
/// </summary>
internal static class AdditionalAddresses
{
    /// <summary>Adds the addresses for the targets of <paramref name="set"/> when it is MX, SRV or NS.</summary>
    public static void AddFor(DnsMessage answer, ZoneSet zones, RecordSet set)
    {
        if (set.Type is not (RecordType.MX or RecordType.SRV or RecordType.NS))
            return;
        var records = set.Records;
        for (int i = 0; i < records.Count; i++)
        {
            var target = TargetOf(records[i].Data);
            // RFC 2782: a target of "." means the service is not offered there.
            if (target is null || target.IsRoot || SeenBefore(records, i, target))
                continue;
            var zone = zones.FindZone(target);
            if (zone is null)
                continue;
            var match = zone.Match(target, RecordType.A);
            if (match.Kind != ZoneMatchKind.Exact)
                continue;
            match.Node!.Find(RecordType.A)?.AddTo(answer.Additionals);
            match.Node!.Find(RecordType.AAAA)?.AddTo(answer.Additionals);
        }
    }

    private static DnsName? TargetOf(DnsRecordData data) => data switch
    {
        MxRecordData mx => mx.Exchange,
        SrvRecordData srv => srv.Target,
        NameRecordData ns => ns.Target,
        _ => null,
    };

    // Two records with one target (MX 10 and MX 20 to the same host) add its addresses once.
    private static bool SeenBefore(IReadOnlyList<DnsRecord> records, int index, DnsName target)
    {
        for (int i = 0; i < index; i++)
        {
            if (target.Equals(TargetOf(records[i].Data)))
                return true;
        }
        return false;
    }
}
