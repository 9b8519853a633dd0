using Microsoft.Extensions.Caching.Memory;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Cache;

/// <summary>
/// Answers kept as wire bytes in a size-limited <see cref="MemoryCache"/>. Freshness is judged
/// with the injected <see cref="TimeProvider"/> on every read, so expired entries stay around
/// (up to <see cref="CacheOptions.StaleRetention"/>) for serve-stale; MemoryCache's own
/// expiration only cleans them up afterwards.
/// </summary>
public sealed partial class ResponseCache : IDisposable, IAnswerStore
{
    // Rough cost of the entry objects besides the wire bytes, so tiny entries still count.
    private const int EntryOverhead = 200;

    private readonly MemoryCache _cache;
    private readonly EvictionClock _eviction;
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _minimumCharge;
    private readonly bool _ownsMetrics;

    public ResponseCache(CacheOptions options, TimeProvider? timeProvider = null, CacheMetrics? metrics = null)
    {
        SettingErrors.ThrowIfAny(options.Validate(), nameof(options));
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
        _frequency = _time.TimestampFrequency;
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new CacheMetrics();
        TtlPolicy = new TtlPolicy(options);
        // Both caps in MemoryCache's one dimension: no entry is charged less than
        // MaxBytes / MaxEntries, so a full byte budget also means at most MaxEntries entries.
        _minimumCharge = (options.MaxBytes + options.MaxEntries - 1) / options.MaxEntries;
        // TrackStatistics: the only public reading of the charged size (AccountedBytes); it costs a
        // per-thread counter increment per lookup, no allocation.
        // The budget is kept by the eviction clock, entry by entry on insert. MemoryCache's SizeLimit sits a quarter
        // above it as a backstop only: reaching it would mean refused inserts and a compaction that sorts every entry.
        _eviction = new EvictionClock(options.MaxBytes, EvictIfCurrent, IsCurrent);
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MaxBytes + options.MaxBytes / 4, CompactionPercentage = 0.25, TrackStatistics = true, Clock = new HostClock(_time) });
        Metrics.Observe(this);
    }

    public CacheOptions Options { get; }

    public TtlPolicy TtlPolicy { get; }

    public TimeSpan StaleAnswerClientTimeout => Options.StaleAnswerClientTimeout;

    public uint TtlFor(DnsMessage answer) => TtlPolicy.Apply(answer);

    // The interface is internal, so its members that take the internal entry type are implemented explicitly.
    CachedResponse? IAnswerStore.StoreAnswer(CacheKey key, DnsMessage answer, uint ttl, long generation) => StoreAnswer(key, answer, ttl, generation);

    int IAnswerStore.WriteAnswer(in QueryRequest request, CachedResponse entry, Span<byte> destination) => WriteAnswer(request, entry, destination);

    public CacheMetrics Metrics { get; }

    /// <summary>Entries held now (diagnostics: it briefly locks the whole table, so not for the hot path).</summary>
    public int Count => _cache.Count;

    /// <summary>Bytes the eviction clock holds charged: <see cref="AccountedBytes"/> plus entries dropped but not yet swept.</summary>
    internal long ChargedForEviction => _eviction.Charged;

    /// <summary>Bytes charged against <see cref="CacheOptions.MaxBytes"/> (each entry at least MaxBytes / MaxEntries).</summary>
    public long AccountedBytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>
    /// Answers from a fresh entry (or a cached SERVFAIL, or a stale entry inside its failure-recheck
    /// window). Returns the length written, or 0 when the query must go upstream. Synchronous and
    /// allocation-free. <paramref name="prefetch"/> is true for the one hit that should refresh the entry.
    /// </summary>
    public int TryAnswer(in QueryRequest request, Span<byte> destination, out bool prefetch)
    {
        prefetch = false;
        var entry = Find(request);
        long now = _time.GetTimestamp();
        if (entry is null || now >= entry.StaleUntil)
        {
            Metrics.Miss();
            return 0;
        }
        if (now < entry.FreshUntil)
        {
            Metrics.Hit();
            entry.MarkReferenced();
            prefetch = ShouldPrefetch(entry, now);
            ExtendedErrorCode? error = entry.Kind == CachedResponseKind.ServerFailure ? entry.FailureCode ?? ExtendedErrorCode.CachedError : null;
            return CachedAnswerWriter.Write(request, entry, destination, (now - entry.StoredAt) / _frequency, null, error);
        }
        if (now < entry.StaleHoldUntil)
            return WriteStaleEntry(request, entry, destination);
        Metrics.Miss();
        return 0;
    }

    /// <summary>
    /// Answers from an expired entry (RFC 8767): TTL 30, EDE Stale Answer. Returns 0 when there is
    /// nothing (or only a cached SERVFAIL). When <paramref name="upstreamFailed"/>, also starts the
    /// failure-recheck window in which later queries get the stale answer without going upstream;
    /// when the client response timer fired instead, the refresh is still running and no window starts.
    /// </summary>
    public int TryAnswerStale(in QueryRequest request, Span<byte> destination, bool upstreamFailed = true)
    {
        var entry = Find(request);
        long now = _time.GetTimestamp();
        if (entry is null || entry.Kind == CachedResponseKind.ServerFailure || now >= entry.StaleUntil)
            return 0;
        if (upstreamFailed)
            HoldStale(entry, now);
        return WriteStaleEntry(request, entry, destination);
    }

    /// <summary>True when an expired answer is kept that could be served stale (RFC 8767).</summary>
    public bool HasStaleAnswer(in QueryRequest request)
    {
        var entry = Find(request);
        return entry is not null && entry.Kind != CachedResponseKind.ServerFailure && _time.GetTimestamp() < entry.StaleUntil;
    }

    /// <summary>Stores an answer prepared by <see cref="TtlPolicy.Apply"/>; TTL 0 stores nothing.</summary>
    public void Store(CacheKey key, DnsMessage answer, uint ttl) => StoreAnswer(key, answer, ttl, Generation);

    /// <summary>As <see cref="StoreAnswer"/>, for callers that do not answer from the built entry.</summary>
    public void Store(CacheKey key, DnsMessage answer, uint ttl, long generation) => StoreAnswer(key, answer, ttl, generation);

    /// <summary>
    /// Builds the wire form of an answer whose upstream query started at <paramref name="generation"/> (read from
    /// <see cref="Generation"/> before asking), stores it when it may be kept, and returns it, so the miss is answered
    /// from the same bytes as every hit after it (<see cref="WriteAnswer"/>). Nothing is stored for TTL 0, or when a
    /// flush came in between: the answer may predate the change the flush was for. Null when there is no question.
    /// </summary>
    internal CachedResponse? StoreAnswer(CacheKey key, DnsMessage answer, uint ttl, long generation)
    {
        if (answer.Question is null)
            return null;
        var kind = answer.ResponseCode == DnsResponseCode.ServFail ? CachedResponseKind.ServerFailure
            : TtlPolicy.IsNegative(answer) ? CachedResponseKind.Negative : CachedResponseKind.Answer;
        var staleFor = kind == CachedResponseKind.ServerFailure ? TimeSpan.Zero : Options.StaleRetention;
        var entry = Build(answer, kind, ttl, staleFor);
        if (ttl == 0 || generation != Generation)
            return entry;
        var stored = key.ToImmutable();
        Insert(stored, entry, TimeSpan.FromSeconds(ttl) + staleFor);
        // A flush may have walked past this key while it was being inserted.
        if (generation != Generation)
        {
            _cache.Remove(key);
            return entry;
        }
        if (kind != CachedResponseKind.ServerFailure)
            StoreObserver?.Stored(ToPortable(stored, entry));
        return entry;
    }

    /// <summary>Writes <paramref name="entry"/> (from <see cref="StoreAnswer"/>) as the answer to a client, as a hit would.</summary>
    internal int WriteAnswer(in QueryRequest request, CachedResponse entry, Span<byte> destination) =>
        CachedAnswerWriter.Write(request, entry, destination, Math.Max(0, (_time.GetTimestamp() - entry.StoredAt) / _frequency), null, null);

    /// <summary>
    /// Remembers our SERVFAIL for <see cref="CacheOptions.ServerFailureTtl"/> (RFC 2308 §7), unless
    /// an older answer is still kept for serve-stale: that one is worth more than the failure.
    /// </summary>
    public void StoreServerFailure(CacheKey key, DnsQuestion question) => StoreServerFailure(key, question, null, Options.ServerFailureTtl);

    /// <summary>
    /// Remembers a SERVFAIL for <paramref name="keptFor"/>; with a <paramref name="failureCode"/> (a DNSSEC bogus
    /// answer, RFC 4035 §4.7) hits repeat that EDE, and no older answer is served stale in its place.
    /// </summary>
    public void StoreServerFailure(CacheKey key, DnsQuestion question, ExtendedErrorCode? failureCode, TimeSpan keptFor)
    {
        uint ttl = (uint)keptFor.TotalSeconds;
        if (ttl == 0)
            return;
        long now = _time.GetTimestamp();
        if (failureCode is null && _cache.TryGetValue(key, out var existing) && existing is CachedResponse kept
            && kept.Kind != CachedResponseKind.ServerFailure && now < kept.StaleUntil)
        {
            // The refresh failed even if no client waited for it (they got stale data from the
            // client response timer): serve the kept answer without asking again for a while.
            HoldStale(kept, now);
            return;
        }
        var failure = new DnsMessage { ResponseCode = DnsResponseCode.ServFail };
        failure.Questions.Add(question);
        var entry = Build(failure, CachedResponseKind.ServerFailure, ttl, TimeSpan.Zero);
        entry.FailureCode = failureCode;
        Insert(key.ToImmutable(), entry, TimeSpan.FromSeconds(ttl));
    }

    public void Dispose()
    {
        _cache.Dispose();
        if (_ownsMetrics)
            Metrics.Dispose();
    }

    private CachedResponse? Find(in QueryRequest request)
    {
        var key = CacheKey.ForLookup(request.QuestionName.Span, request.Type, request.Class, request.DnssecOk, request.CheckingDisabled);
        return _cache.TryGetValue(key, out var value) ? value as CachedResponse : null;
    }

    /// <summary>RFC 8767 §5 failure recheck timer: an expired entry is answered stale directly until then.</summary>
    private void HoldStale(CachedResponse entry, long now)
    {
        if (now >= entry.FreshUntil)
            entry.StaleHoldUntil = now + (long)(Options.StaleFailureRecheck.TotalSeconds * _frequency);
    }

    private int WriteStaleEntry(in QueryRequest request, CachedResponse entry, Span<byte> destination)
    {
        // Every stale answer passes here (the forwarder's after a failed refresh, the cache's own during the recheck
        // hold), so this is where a traced query learns its answer was stale.
        if (request.Trace is { } trace)
            trace.Stale = true;
        Metrics.StaleServed();
        entry.MarkReferenced();
        // RFC 8914 §4.20: a stale NXDOMAIN has its own code.
        var error = entry.ResponseCode == DnsResponseCode.NXDomain ? ExtendedErrorCode.StaleNxDomainAnswer : ExtendedErrorCode.StaleAnswer;
        return CachedAnswerWriter.Write(request, entry, destination, 0, Options.StaleAnswerTtl, error);
    }

    private bool ShouldPrefetch(CachedResponse entry, long now)
    {
        if (!Options.Prefetch || entry.Kind == CachedResponseKind.ServerFailure)
            return false;
        long left = entry.FreshUntil - now;
        long total = entry.FreshUntil - entry.StoredAt;
        if (left > total * Options.PrefetchThreshold || !entry.TryClaimPrefetch())
            return false;
        Metrics.Prefetch();
        return true;
    }

    private CachedResponse Build(DnsMessage answer, CachedResponseKind kind, uint ttl, TimeSpan staleFor)
    {
        long now = _time.GetTimestamp();
        long freshUntil = now + ttl * _frequency;
        long staleUntil = freshUntil + (long)(staleFor.TotalSeconds * _frequency);
        return CachedResponseBuilder.Build(answer, kind, ttl, now, freshUntil, staleUntil);
    }

    /// <summary>Files a built entry under an immutable key; <paramref name="keptFor"/> is its fresh plus stale life from now.</summary>
    private void Insert(CacheKey stored, CachedResponse entry, TimeSpan keptFor)
    {
        long charge = ChargeFor(entry);
        using (var cacheEntry = _cache.CreateEntry(stored))
        {
            cacheEntry.Value = entry;
            cacheEntry.Size = charge;
            // Clean-up only (on the same TimeProvider, through HostClock): freshness is decided on each read.
            cacheEntry.AbsoluteExpirationRelativeToNow = keptFor + TimeSpan.FromSeconds(1);
        } // the entry is stored when it is disposed
        _eviction.Inserted(stored, entry, charge);
    }

    /// <summary>Removes the clock's victim unless the key has meanwhile been stored again with a newer answer.</summary>
    private void EvictIfCurrent(CacheKey key, CachedResponse entry)
    {
        if (IsCurrent(key, entry))
        {
            _cache.Remove(key);
            Metrics.Evicted();
        }
    }

    /// <summary>Whether the cache still holds this very entry (not expired, replaced or flushed).</summary>
    private bool IsCurrent(CacheKey key, CachedResponse entry) =>
        _cache.TryGetValue(key, out var current) && ReferenceEquals(current, entry);

    /// <summary>
    /// What an entry costs against the SizeLimit: its wire bytes, TTL offsets and object overhead,
    /// but never less than the minimum charge that turns the byte cap into an entry cap too.
    /// </summary>
    private long ChargeFor(CachedResponse entry) =>
        Math.Max(entry.Wire.Length + entry.TtlOffsets.Length * 2 + EntryOverhead, _minimumCharge);
}
