using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Cache;
using Resolver.Core.Pipeline;

namespace Resolver.Core.SharedCache;

/// <summary>
/// Pipeline stage between the cache and the forwarder: a local miss asks the shared store, within
/// <see cref="SharedCacheOptions.ReadBudget"/>, for what another instance already fetched. A value found there is put
/// through <see cref="ResponseCache.Import(PortableCacheEntry, long, out string?)"/>, the one check every entry from
/// outside the process passes, and answered from the local cache as a hit would be; anything else (nothing there,
/// too slow, broken, not this question, only stale) passes to the forwarder exactly as without a shared cache.
/// A hit never reaches this stage, so the hit path is unchanged; while the circuit is open this stage passes at once.
/// </summary>
public sealed partial class SharedCacheStage : IQueryStage
{
    private readonly ResponseCache _cache;
    private readonly ISharedCacheStore _store;
    private readonly SharedCacheOptions _options;
    private readonly SharedCacheCircuit _circuit;
    private readonly SharedCacheMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SharedCacheStage(ResponseCache cache, ISharedCacheStore store, SharedCacheOptions options, SharedCacheCircuit circuit,
        SharedCacheMetrics metrics, TimeProvider? time = null, ILogger<SharedCacheStage>? logger = null)
    {
        SettingErrors.ThrowIfAny(options.Validate(), nameof(options));
        _cache = cache;
        _store = store;
        _options = options;
        _circuit = circuit;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        metrics.Observe(circuit);
    }

    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        // An open circuit costs the miss nothing: no key, no Task, straight to the forwarder.
        if (!_circuit.TryEnter(out bool probe))
            return new ValueTask<int>(StageResult.Pass);
        return AskAsync(request, response, probe, cancellationToken);
    }

    private async ValueTask<int> AskAsync(QueryRequest request, Memory<byte> response, bool probe, CancellationToken cancellationToken)
    {
        var key = CacheKey.Create(request.QuestionName.Span, request.Type, request.Class, request.DnssecOk, request.CheckingDisabled);
        // Read before asking, as the forwarder does: a value fetched across a flush is not put back.
        long generation = _cache.Generation;
        byte[]? value;
        Task<byte[]?>? get = null;
        try
        {
            get = _store.GetAsync(SharedCacheKey.For(key, _options.KeyPrefix));
            value = await get.WaitAsync(_options.ReadBudget, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _metrics.Timeout();
            JudgeLate(get, probe);
            return StageResult.Pass;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _circuit.Failed(probe, "cancelled");
            throw;
        }
        catch (Exception error)
        {
            _metrics.Error();
            _circuit.Failed(probe, error.GetType().Name + ": " + error.Message);
            return StageResult.Pass;
        }
        _circuit.Succeeded(probe);
        return value is null ? Missed() : Answer(request, key, value, generation, response.Span);
    }

    /// <summary>
    /// A read past the budget goes upstream at once, but only its late outcome tells the circuit anything: one that
    /// still answers was merely slow (a burst of misses queued behind each other, a busy core), one the client gives up
    /// on (its CommandTimeout) or that fails means Redis is stalled or gone.
    /// </summary>
    private void JudgeLate(Task<byte[]?>? get, bool probe)
    {
        if (get is null)
        {
            _circuit.Failed(probe, "no read started");
            return;
        }
        _ = get.ContinueWith(static (late, state) =>
        {
            var (circuit, isProbe) = ((SharedCacheCircuit, bool))state!;
            if (late.IsCompletedSuccessfully)
                circuit.Succeeded(isProbe);
            else
                circuit.Failed(isProbe, late.Exception?.InnerException?.Message ?? "read cancelled");
        }, (_circuit, probe), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private int Answer(in QueryRequest request, CacheKey key, byte[] value, long generation, Span<byte> response)
    {
        if (!PortableCacheEntryFormat.TryRead(value, out var entry, out int consumed, out string? error) || consumed != value.Length)
            return Reject(key, "unreadable", error ?? "bytes after the entry");
        // The key says which question the value is for; the entry must say the same (Import then checks its wire).
        if (!entry!.Key.Equals(key))
            return Reject(key, "other_question", "the value is filed for " + entry.Key);
        // Our writer never shares a SERVFAIL (it is a moment's failure of one instance's upstreams).
        if (entry.Kind == CachedResponseKind.ServerFailure)
            return Reject(key, "server_failure", "a cached SERVFAIL");
        var outcome = _cache.Import(entry, generation, out string? reason, out var imported);
        if (outcome == ImportOutcome.Rejected)
            return Reject(key, "insane", reason ?? "refused by the cache");
        // Expired, or kept only for serve-stale: the forwarder asks upstream, and has the stale data to fall back on.
        int written = imported is null ? 0 : _cache.TryWriteFresh(request, imported, response);
        if (written == 0)
            return Missed();
        _metrics.Hit();
        return written;
    }

    private int Missed()
    {
        _metrics.Miss();
        return StageResult.Pass;
    }

    private int Reject(CacheKey key, string reason, string detail)
    {
        _metrics.Rejected(reason);
        LogRejected(key, detail);
        return StageResult.Pass;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shared cache value for {Key} ignored: {Detail}")]
    private partial void LogRejected(CacheKey key, string detail);
}
