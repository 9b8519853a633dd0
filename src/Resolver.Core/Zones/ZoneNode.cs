using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Zones;

/// <summary>
/// One name of a zone with all its RRsets. A node without RRsets is an empty non-terminal
/// (RFC 8020, RFC 4592 §2.2.2): the name exists because names below it do, so a query for it is
/// NODATA, not NXDOMAIN. Everything an answer needs is worked out when the zone is built.
/// </summary>
public sealed class ZoneNode
{
    private readonly RecordSet[] _sets;

    internal ZoneNode(DnsName name, RecordSet[] sets, bool isApex)
    {
        Name = name;
        _sets = sets;
        Cname = Find(RecordType.CNAME);
        // RFC 1034 §4.2.1: NS records below the apex mark a zone cut; the data below it belongs to another zone.
        Delegation = isApex ? null : Find(RecordType.NS);
        CnameTarget = Cname is null ? null : ((NameRecordData)Cname.Records[0].Data).Target;
        Dname = Find(RecordType.DNAME);
    }

    public DnsName Name { get; }

    /// <summary>The RRsets in the order their types first appeared in the zone file.</summary>
    public IReadOnlyList<RecordSet> Sets => _sets;

    public bool IsEmptyNonTerminal => _sets.Length == 0;

    public RecordSet? Cname { get; }

    public DnsName? CnameTarget { get; }

    /// <summary>
    /// The DNAME RRset (one record, RFC 6672 §2.4) when this name redirects the names below it;
    /// it does not apply to this name itself (RFC 6672 §2.3).
    /// </summary>
    public RecordSet? Dname { get; }

    /// <summary>The NS RRset when this name is a zone cut below the apex.</summary>
    public RecordSet? Delegation { get; }

    /// <summary>Address records of the delegation's name servers found in this zone (glue, RFC 1034 §4.2.1).</summary>
    public IReadOnlyList<DnsRecord> Glue { get; internal set; } = [];

    /// <summary>The node of "*.(this name)" when the zone has one (RFC 4592 §2.1.1).</summary>
    public ZoneNode? Wildcard { get; internal set; }

    public RecordSet? Find(RecordType type)
    {
        foreach (var set in _sets)
        {
            if (set.Type == type)
                return set;
        }
        return null;
    }
}
