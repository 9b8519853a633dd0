using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Zones;

namespace Resolver.Server.Hosting;

/// <summary>
/// Reloads the local zones when a zone file changes or the process gets SIGHUP (the usual
/// "reload your configuration" signal for daemons). The catalog swaps zones atomically and
/// keeps the last good version of a zone whose new file is broken.
/// </summary>
public sealed partial class ZoneReloadService(ZoneCatalog catalog, IOptions<LocalZoneOptions> options, ILogger<ZoneReloadService> logger)
    : IHostedService, IDisposable
{
    private ZoneFolderWatcher? _watcher;
    private PosixSignalRegistration? _hangup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WatchForChanges && catalog.Directory is not null)
            _watcher = new ZoneFolderWatcher(catalog, options.Value.ReloadDelay, logger);
        if (!OperatingSystem.IsWindows())
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled here: the default action of SIGHUP would end the process.
                context.Cancel = true;
                LogReloadOnSignal();
                catalog.Reload();
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _hangup = null;
        _watcher?.Dispose();
        _watcher = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: reloading zones")]
    private partial void LogReloadOnSignal();
}
