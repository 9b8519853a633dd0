using Microsoft.Extensions.Logging;

namespace Resolver.Core.Zones;

/// <summary>
/// Reloads a <see cref="ZoneCatalog"/> when a <c>*.zone</c> file of its folder is created,
/// changed, renamed or deleted, once the folder has been quiet for the delay (an editor's save is
/// several events; a file being written is read once it is complete). Files only reached through
/// $INCLUDE are not watched: touch the zone file or send SIGHUP after editing them.
/// </summary>
public sealed partial class ZoneFolderWatcher : IDisposable
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(500);

    private readonly ZoneCatalog _catalog;
    private readonly TimeSpan _delay;
    private readonly ILogger? _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _timer;
    private volatile bool _disposed;

    /// <param name="catalog">A catalog loaded from a folder (<see cref="ZoneCatalog.Load"/>).</param>
    /// <param name="delay">Quiet time before a reload; <see cref="DefaultDelay"/> when null.</param>
    /// <param name="logger">Receives watcher failures; the reload logs through the catalog's logger.</param>
    public ZoneFolderWatcher(ZoneCatalog catalog, TimeSpan? delay = null, ILogger? logger = null)
    {
        if (catalog.Directory is null)
            throw new ArgumentException("The zone catalog has no folder to watch", nameof(catalog));
        _catalog = catalog;
        _delay = delay ?? DefaultDelay;
        if (_delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), "The reload delay cannot be negative");
        _logger = logger;
        _timer = new Timer(_ => ReloadNow(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = TryWatch(catalog.Directory);
    }

    /// <summary>False when the folder could not be watched (it does not exist, or no watches are left); SIGHUP still reloads.</summary>
    public bool IsWatching => _watcher is not null;

    private FileSystemWatcher? TryWatch(string directory)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory, ZoneLoader.FilePattern)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Renamed += OnChange;
            // A lost event (buffer overflow) might have been one of ours: reload to be sure.
            watcher.Error += (_, _) => Schedule();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is ArgumentException or IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            if (_logger is not null)
                LogNotWatching(_logger, directory, e.Message);
            return null;
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e) => Schedule();

    // Each event pushes the reload back by the delay: it runs once the folder is quiet.
    private void Schedule()
    {
        if (_disposed)
            return;
        try
        {
            _timer.Change(_delay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call: nothing to do.
        }
    }

    private void ReloadNow()
    {
        if (_disposed)
            return;
        try
        {
            _catalog.Reload();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback that throws ends the process; the old zones keep serving instead.
            if (_logger is not null)
                LogReloadFailed(_logger, _catalog.Directory!, e);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher?.Dispose();
        _timer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not watching the zones folder {Directory} for changes ({Reason}); send SIGHUP to reload")]
    private static partial void LogNotWatching(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the zones from {Directory} failed; the previous zones keep serving")]
    private static partial void LogReloadFailed(ILogger logger, string directory, Exception exception);
}
