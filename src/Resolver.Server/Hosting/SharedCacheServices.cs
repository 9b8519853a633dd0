using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Cache;
using Resolver.Core.SharedCache;
using Resolver.SharedCache.Redis;

namespace Resolver.Server.Hosting;

/// <summary>
/// Resolver:SharedCache (off by default): the Redis store, the stage between the cache and the forwarder
/// (<see cref="PipelineServices"/> puts it there when it is registered), and the write-behind loop.
/// </summary>
public static class SharedCacheServices
{
    public static IServiceCollection AddSharedCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SharedCacheOptions>().Bind(configuration.GetSection(SharedCacheOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SharedCacheOptions>>(new SharedCacheOptionsValidator());
        if (!string.Equals(configuration[SharedCacheOptions.SectionName + ":Enabled"], "true", StringComparison.OrdinalIgnoreCase))
            return services;
        services.AddSingleton(sp => new SharedCacheMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new SharedCacheCircuit(Options(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Resolver.SharedCache")));
        services.AddSingleton<ISharedCacheStore>(sp => new RedisSharedCacheStore(Options(sp)));
        services.AddSingleton(sp => new SharedCacheStage(sp.GetRequiredService<ResponseCache>(), sp.GetRequiredService<ISharedCacheStore>(),
            Options(sp), sp.GetRequiredService<SharedCacheCircuit>(), sp.GetRequiredService<SharedCacheMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SharedCacheStage>>()));
        services.AddSingleton(sp => new SharedCacheWriter(sp.GetRequiredService<ISharedCacheStore>(), Options(sp),
            sp.GetRequiredService<SharedCacheMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<SharedCacheWriterService>();
        return services;
    }

    private static SharedCacheOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SharedCacheOptions>>().Value;

    private sealed class SharedCacheOptionsValidator : IValidateOptions<SharedCacheOptions>
    {
        public ValidateOptionsResult Validate(string? name, SharedCacheOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>
/// Runs the write-behind loop: hooked to the cache in <see cref="StartingAsync"/> (before any listener opens, so no
/// answer stored from upstream is missed), stopped after the listeners, with what is still queued given a moment.
/// The start also waits for the store's first connection attempt, at most CommandTimeout: without it the first
/// answers of a fresh instance would find the store not yet connected and go unshared (seen in CI on a busy machine).
/// A Redis that is down delays the start by that much and no more.
/// </summary>
internal sealed class SharedCacheWriterService(ResponseCache cache, SharedCacheWriter writer, ISharedCacheStore store,
    IOptions<SharedCacheOptions> options, TimeProvider time) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private int _stopped;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        cache.StoreObserver = writer;
        _running = Task.Run(() => writer.RunAsync(_stopping.Token), CancellationToken.None);
        try
        {
            await store.FirstConnectAttempt.WaitAsync(options.Value.CommandTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still connecting: the circuit and the client's reconnects take it from here.
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (StopAsync, then disposal); the second has nothing left to do.
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        cache.StoreObserver = null;
        writer.Complete();
        // A second to write what the last queries fetched; a stalled Redis does not hold the stop longer.
        await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stopping.Dispose();
        if (store is IAsyncDisposable disposable)
            await disposable.DisposeAsync().ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
