using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// Every local zone, found by the longest apex that contains a name (so a zone inside another
/// zone's namespace wins for its own names). Read-only and safe to share between threads.
/// </summary>
public sealed class ZoneSet
{
    private readonly Dictionary<byte[], Zone> _byApex;
    private readonly Dictionary<byte[], Zone>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Zone[] _zones;

    public ZoneSet(IEnumerable<Zone> zones, IReadOnlyList<string>? warnings = null)
    {
        _byApex = new Dictionary<byte[], Zone>(WireNameKey.Instance);
        foreach (var zone in zones)
        {
            if (!_byApex.TryAdd(zone.Apex.Wire.ToArray(), zone))
                throw new ZoneLoadException($"{zone.Source}: zone {zone.Apex} is also defined in {_byApex[zone.Apex.Wire.ToArray()].Source}");
        }
        _lookup = _byApex.GetAlternateLookup<ReadOnlySpan<byte>>();
        _zones = [.. _byApex.Values];
        Warnings = warnings ?? [];
    }

    public static ZoneSet Empty { get; } = new([]);

    public IReadOnlyList<Zone> Zones => _zones;

    /// <summary>What loading found questionable but served anyway (e.g. no NS at an apex).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsEmpty => _zones.Length == 0;

    /// <summary>The zone with the longest apex at or above <paramref name="name"/>, or null.</summary>
    public Zone? FindZone(DnsName name) => FindZone(name.Wire);

    /// <summary>The same for an uncompressed wire name, without allocating.</summary>
    public Zone? FindZone(ReadOnlySpan<byte> wireName)
    {
        if (_zones.Length == 0)
            return null;
        int position = 0;
        while (true)
        {
            if (_lookup.TryGetValue(wireName[position..], out var zone))
                return zone;
            int length = wireName[position];
            if (length == 0)
                return null;
            position += 1 + length;
        }
    }
}
