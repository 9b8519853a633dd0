using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Cache;

namespace Resolver.Server.Hosting;

/// <summary>
/// Resolver:Cache:SnapshotFile: loads the cache in <see cref="StartingAsync"/>, which the host runs before any hosted
/// service starts (so before the listeners open), and writes it in <see cref="StoppedAsync"/>, after every service,
/// the listeners included, has stopped, so no answer arrives after the snapshot is taken. A file that cannot be used
/// is logged and the cache starts cold: a snapshot is an optimisation, never a reason not to serve.
/// </summary>
internal sealed partial class CacheSnapshotService(ResponseCache cache, IOptions<CacheOptions> options, ILogger<CacheSnapshotService> logger)
    : IHostedLifecycleService
{
    private string? File => string.IsNullOrWhiteSpace(options.Value.SnapshotFile) ? null : options.Value.SnapshotFile;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (File is not { } path)
            return Task.CompletedTask;
        if (!System.IO.File.Exists(path))
        {
            LogNoSnapshot(path);
            return Task.CompletedTask;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = CacheSnapshotFile.Load(cache, path);
            LogLoaded(path, result.Imported, result.Expired, result.Rejected, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception error) when (error is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogUnusable(path, error.Message);
        }
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (File is not { } path)
            return Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        try
        {
            int written = CacheSnapshotFile.Save(cache, path);
            LogSaved(path, written, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(path, error.Message);
        }
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache snapshot {File}: {Imported} entries loaded, {Expired} expired, {Rejected} rejected, in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string file, int imported, int expired, int rejected, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache snapshot {File} does not exist yet: starting with an empty cache")]
    private partial void LogNoSnapshot(string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache snapshot {File} ignored, starting with an empty cache: {Reason}")]
    private partial void LogUnusable(string file, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache snapshot {File}: {Entries} entries written in {Milliseconds:F0} ms")]
    private partial void LogSaved(string file, int entries, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache snapshot {File} not written: {Reason}")]
    private partial void LogSaveFailed(string file, string reason);
}
