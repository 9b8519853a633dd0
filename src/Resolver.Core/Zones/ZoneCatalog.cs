using Microsoft.Extensions.Logging;

namespace Resolver.Core.Zones;

/// <summary>
/// The local zones being served now. Queries read <see cref="Current"/> once each, without a
/// lock; <see cref="Reload"/> reads the folder again and replaces the whole <see cref="ZoneSet"/>
/// with one reference write, so a query sees either the old zones or the new ones, never a mix.
/// A file that breaks keeps serving its last good version (see <see cref="ZoneClaims"/>).
/// Reloads come from the <see cref="ZoneFolderWatcher"/> and from SIGHUP (wired by the host).
/// </summary>
public sealed class ZoneCatalog
{
    private readonly ILogger? _logger;
    private readonly Lock _reloading = new();
    private ZoneLoadResult _last;
    private volatile ZoneSet _current;
    private int _reloads;

    private ZoneCatalog(string? directory, ZoneLoadResult loaded, ILogger? logger)
    {
        Directory = directory;
        _logger = logger;
        _last = loaded;
        _current = loaded.Zones;
    }

    /// <summary>Loads the folder (bad files are logged and left out; nothing here throws for them).</summary>
    public static ZoneCatalog Load(string directory, ILogger? logger = null) =>
        new(directory, ZoneLoader.LoadAll(directory, logger), logger);

    /// <summary>A catalog of zones built in code, with no folder behind it (<see cref="Reload"/> is not possible).</summary>
    public static ZoneCatalog Fixed(ZoneSet zones) =>
        new(null, new ZoneLoadResult(zones, new Dictionary<string, Zone>(StringComparer.Ordinal), []), null);

    /// <summary>The zones folder, or null for a fixed catalog.</summary>
    public string? Directory { get; }

    /// <summary>The zones to answer from. Read it once per query and use that set for the whole answer.</summary>
    public ZoneSet Current => _current;

    /// <summary>The outcome of the latest load or reload: which files are rejected now.</summary>
    public ZoneLoadResult LastLoad
    {
        get
        {
            lock (_reloading)
                return _last;
        }
    }

    /// <summary>How many reloads have completed (0 after the first load).</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>
    /// Reads the folder again and swaps the zones in at once. Safe to call from any thread;
    /// concurrent calls run one after the other. Never throws for bad zone files: they are logged
    /// and in the result. Files that now fail keep serving their last good version.
    /// </summary>
    /// <exception cref="InvalidOperationException">The catalog is <see cref="Fixed"/>.</exception>
    public ZoneLoadResult Reload()
    {
        if (Directory is null)
            throw new InvalidOperationException("This zone catalog was built in code and has no folder to reload from");
        lock (_reloading)
        {
            var loaded = ZoneLoader.Load(Directory, _last, _logger);
            _last = loaded;
            // The one write queries see: a ZoneSet built completely before it is published.
            _current = loaded.Zones;
            Interlocked.Increment(ref _reloads);
            return loaded;
        }
    }
}
