namespace Resolver.Core.Zones;

/// <summary>
/// What one load of the zones folder gave: the zones to serve and the files that were rejected.
/// A rejected file does not stop the others (an operator's typo in one zone must not take the
/// other zones, or the whole resolver, down).
/// </summary>
public sealed class ZoneLoadResult
{
    internal ZoneLoadResult(ZoneSet zones, IReadOnlyDictionary<string, Zone> byFile, IReadOnlyList<ZoneFileRejection> rejected)
    {
        Zones = zones;
        ByFile = byFile;
        Rejected = rejected;
    }

    internal static ZoneLoadResult Empty { get; } =
        new(ZoneSet.Empty, new Dictionary<string, Zone>(StringComparer.Ordinal), []);

    /// <summary>The zones to serve: every good file, plus the last good version of files that broke on reload.</summary>
    public ZoneSet Zones { get; }

    /// <summary>The files not loaded this time, in file-name order.</summary>
    public IReadOnlyList<ZoneFileRejection> Rejected { get; }

    /// <summary>Every file loaded as it is now.</summary>
    public bool IsClean => Rejected.Count == 0;

    /// <summary>The zone served from each file name (not path), so a reload can keep a broken file's last good version.</summary>
    internal IReadOnlyDictionary<string, Zone> ByFile { get; }
}
