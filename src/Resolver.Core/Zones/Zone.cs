using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// One local zone: its apex, SOA and nodes, read-only once built (see <see cref="ZoneBuilder"/>).
/// Names compare without regard to ASCII case; records keep the case they were written in.
/// </summary>
public sealed class Zone
{
    private readonly Dictionary<byte[], ZoneNode> _nodes;
    private readonly Dictionary<byte[], ZoneNode>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    internal Zone(DnsName apex, DnsRecord soa, Dictionary<byte[], ZoneNode> nodes, string source)
    {
        Apex = apex;
        Soa = soa;
        Source = source;
        _nodes = nodes;
        _lookup = nodes.GetAlternateLookup<ReadOnlySpan<byte>>();
        ApexNode = nodes[apex.Wire.ToArray()];
        var data = (Protocol.Records.SoaRecordData)soa.Data;
        // RFC 2308 §3/§5: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM) as its TTL.
        NegativeSoa = soa.WithTtl(Math.Min(soa.Ttl, data.Minimum));
    }

    public DnsName Apex { get; }

    public DnsRecord Soa { get; }

    /// <summary>The SOA as it goes into the authority section of NXDOMAIN and NODATA answers.</summary>
    public DnsRecord NegativeSoa { get; }

    public ZoneNode ApexNode { get; }

    /// <summary>The file the zone was read from (for messages).</summary>
    public string Source { get; }

    public int NodeCount => _nodes.Count;

    /// <summary>The node of exactly this name (uncompressed wire form), or null.</summary>
    public ZoneNode? FindNode(ReadOnlySpan<byte> wireName) => _lookup.TryGetValue(wireName, out var node) ? node : null;

    public ZoneNode? FindNode(DnsName name) => FindNode(name.Wire);

    /// <summary>
    /// Walks from the apex down to <paramref name="name"/> (which must be at or below the apex),
    /// stopping at the first zone cut, then finds the name, or the wildcard of its closest
    /// encloser (RFC 1034 §4.3.2 step 3, RFC 4592 §3.3.1). A DS query at a cut is answered by
    /// this side of the cut (RFC 4035 §3.1.4.1), so the cut at the name itself is not followed.
    /// A DNAME at an ancestor of the name (the apex included) ends the walk there (RFC 6672 §3.2
    /// step 3c); one at the name itself is plain data.
    /// </summary>
    public ZoneMatch Match(DnsName name, RecordType type)
    {
        var wire = name.Wire;
        int below = name.LabelCount - Apex.LabelCount;
        var encloser = ApexNode;
        for (int depth = 1; depth <= below; depth++)
        {
            // RFC 6672 §2.3 forbids data below a DNAME; should a zone hold some anyway, the DNAME
            // hides it (as BIND and Knot do) rather than answering from both.
            if (encloser.Dname is not null)
                return new ZoneMatch(ZoneMatchKind.Dname, encloser);
            var node = FindNode(wire[WireNameKey.SkipLabels(wire, below - depth)..]);
            if (node is null)
            {
                return encloser.Wildcard is { } wildcard
                    ? new ZoneMatch(ZoneMatchKind.Wildcard, wildcard)
                    : new ZoneMatch(ZoneMatchKind.NameError, null);
            }
            if (node.Delegation is not null && !(depth == below && type == RecordType.DS))
                return new ZoneMatch(ZoneMatchKind.Delegation, node);
            encloser = node;
        }
        return new ZoneMatch(ZoneMatchKind.Exact, encloser);
    }
}
