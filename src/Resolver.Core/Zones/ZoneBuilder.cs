using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Zones;

/// <summary>
/// Collects one zone's records, checking each as it comes (with the file and line it came from)
/// and the zone as a whole at <see cref="Build"/>: one SOA at the apex (RFC 1035 §5.2), no
/// out-of-zone data, no CNAME beside other data (RFC 1034 §3.6.2, RFC 2181 §10.1), class IN only.
/// Identical records are kept once (RFC 2181 §5). Every problem is a <see cref="ZoneLoadException"/>.
/// </summary>
public sealed class ZoneBuilder
{
    private readonly Dictionary<byte[], PendingNode> _nodes = new(WireNameKey.Instance);
    private readonly List<string> _warnings;
    private DnsRecord? _soa;
    private int _soaLine;

    public ZoneBuilder(DnsName apex, string source, List<string>? warnings = null)
    {
        Apex = apex;
        Source = source;
        _warnings = warnings ?? [];
    }

    public DnsName Apex { get; }

    /// <summary>The zone file, as it appears in messages.</summary>
    public string Source { get; }

    /// <summary>Adds one record read at <paramref name="line"/> of <paramref name="file"/> (an $INCLUDEd file names itself).</summary>
    public void Add(DnsRecord record, string? file = null, int line = 0)
    {
        file ??= Source;
        if (!record.Name.IsSubdomainOf(Apex))
            throw new ZoneLoadException(file, line, $"{record.Name} is outside the zone {Apex} (out-of-zone data is not served)");
        if (record.Class != RecordClass.IN)
            throw new ZoneLoadException(file, line, $"class {Protocol.Text.Mnemonics.ClassToText(record.Class)} of {record.Name}: local zones hold class IN only");
        if (record.Type is RecordType.OPT or RecordType.ANY or RecordType.AXFR or RecordType.IXFR)
            throw new ZoneLoadException(file, line, $"{Protocol.Text.Mnemonics.TypeToText(record.Type)} is a query type, not data");
        if (record.Type == RecordType.SOA)
            CheckSoa(record, file, line);

        var key = record.Name.Wire.ToArray();
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = new PendingNode(record.Name);
            _nodes.Add(key, node);
        }
        node.Add(record, file, line);
    }

    /// <summary>Checks the zone as a whole and builds it. <paramref name="warnings"/> receives what is allowed but doubtful.</summary>
    public Zone Build()
    {
        if (_soa is null)
            throw new ZoneLoadException(Source, 0, $"no SOA record at the apex {Apex} (RFC 1035 §5.2: a zone starts with its SOA)");
        var apexKey = Apex.Wire.ToArray();
        if (_nodes[apexKey].Find(RecordType.NS) is null)
            _warnings.Add($"{Source}: no NS records at the apex {Apex}; the zone is served, but other servers cannot be pointed at it");

        AddEmptyNonTerminals();
        var nodes = new Dictionary<byte[], ZoneNode>(_nodes.Count, WireNameKey.Instance);
        foreach (var (key, pending) in _nodes)
            nodes.Add(key, pending.ToNode(isApex: WireNameKey.Instance.Equals(key, apexKey)));
        LinkWildcardsAndGlue(nodes);
        return new Zone(Apex, _soa, nodes, Source);
    }

    private void CheckSoa(DnsRecord record, string file, int line)
    {
        if (!record.Name.Equals(Apex))
            throw new ZoneLoadException(file, line, $"SOA at {record.Name}, but a zone's only SOA belongs at its apex {Apex}");
        if (_soa is not null)
            throw new ZoneLoadException(file, line, $"second SOA at the apex {Apex} (the first is at line {_soaLine}); a zone has exactly one");
        _soa = record;
        _soaLine = line;
    }

    // RFC 4592 §2.2.2: a name with no records but names below it exists (an empty non-terminal).
    private void AddEmptyNonTerminals()
    {
        var owners = new List<DnsName>(_nodes.Count);
        foreach (var node in _nodes.Values)
            owners.Add(node.Name);
        foreach (var owner in owners)
        {
            for (var name = owner.Parent(); name.LabelCount > Apex.LabelCount; name = name.Parent())
            {
                if (!_nodes.TryAdd(name.Wire.ToArray(), new PendingNode(name)))
                    break;
            }
        }
        _nodes.TryAdd(Apex.Wire.ToArray(), new PendingNode(Apex));
    }

    private static void LinkWildcardsAndGlue(Dictionary<byte[], ZoneNode> nodes)
    {
        var lookup = nodes.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var node in nodes.Values)
        {
            var wire = node.Name.Wire;
            // "*.name" has the wildcard label (1, '*') in front of the parent's wire form.
            if (wire.Length > 2 && wire[0] == 1 && wire[1] == (byte)'*' && lookup.TryGetValue(wire[2..], out var parent))
                parent.Wildcard = node;
            if (node.Delegation is not null)
                node.Glue = CollectGlue(node.Delegation, lookup);
        }
    }

    private static DnsRecord[] CollectGlue(RecordSet delegation, Dictionary<byte[], ZoneNode>.AlternateLookup<ReadOnlySpan<byte>> lookup)
    {
        var glue = new List<DnsRecord>();
        foreach (var ns in delegation.Records)
        {
            if (!lookup.TryGetValue(((NameRecordData)ns.Data).Target.Wire, out var server))
                continue;
            server.Find(RecordType.A)?.AddTo(glue);
            server.Find(RecordType.AAAA)?.AddTo(glue);
        }
        return [.. glue];
    }
}
