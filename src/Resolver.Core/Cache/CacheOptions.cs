namespace Resolver.Core.Cache;

/// <summary>Settings of the response cache (configuration section Resolver:Cache). See README.md for the reasoning.</summary>
public sealed class CacheOptions
{
    /// <summary>Most entries kept: every entry is charged at least MaxBytes / MaxEntries, so the byte budget caps the count too.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>Memory budget, kept by the eviction clock (MemoryCache's SizeLimit is a backstop above it); each entry counts its wire bytes plus a fixed overhead. Each insert that passes it evicts, at once, entries not hit since the eviction clock last passed them (CLOCK, an approximation of least recently used).</summary>
    public long MaxBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Lower TTL clamp in seconds. 0 keeps upstream TTLs; a record with TTL 0 is never cached (RFC 1035 §3.2.1).</summary>
    public uint MinTtl { get; set; }

    /// <summary>Upper TTL clamp in seconds (one day, as Unbound's cache-max-ttl).</summary>
    public uint MaxTtl { get; set; } = 86_400;

    /// <summary>RFC 2308 §5: negative TTL is min(SOA TTL, SOA MINIMUM), capped here (Unbound's cache-max-negative-ttl).</summary>
    public uint MaxNegativeTtl { get; set; } = 3_600;

    /// <summary>RFC 2308 §7: a server failure is remembered this long so a failing name does not hammer upstreams.</summary>
    public TimeSpan ServerFailureTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>RFC 8767: serve expired data when upstreams fail, for this long after expiry. Zero turns serve-stale off.</summary>
    public TimeSpan StaleRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>RFC 8767 §4: TTL written into stale answers (30 s recommended).</summary>
    public uint StaleAnswerTtl { get; set; } = 30;

    /// <summary>
    /// RFC 8767 §5 "failure recheck timer": after an upstream failure made us serve a stale entry,
    /// keep answering it stale straight from the cache for this long before asking upstream again.
    /// </summary>
    public TimeSpan StaleFailureRecheck { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// RFC 8767 §5 "client response timer": when a query for an expired entry has waited this long
    /// on upstreams, the client gets the stale answer now and the refresh carries on in the
    /// background, updating the cache. Zero answers stale at once (and still refreshes);
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the timer off (stale only after upstreams fail).
    /// </summary>
    public TimeSpan StaleAnswerClientTimeout { get; set; } = TimeSpan.FromSeconds(1.8);

    /// <summary>Refresh an entry in the background when a hit finds less than <see cref="PrefetchThreshold"/> of its TTL left.</summary>
    public bool Prefetch { get; set; } = true;

    /// <summary>Fraction of the original TTL under which a hit triggers a prefetch (Unbound: 10%).</summary>
    public double PrefetchThreshold { get; set; } = 0.1;

    /// <summary>
    /// Where the cache is written on a clean stop and read back at start (before the listeners open), so a restart
    /// starts warm. Empty (the default) keeps the cache in memory only. See README.md, "Snapshot".
    /// </summary>
    public string? SnapshotFile { get; set; }

    /// <summary>Every bad setting, each named with its key; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxEntries < 1)
            errors.Add($"Resolver:Cache:MaxEntries must be at least 1 (was {MaxEntries})");
        if (MaxBytes < 4096)
            errors.Add($"Resolver:Cache:MaxBytes must be at least 4096 (was {MaxBytes})");
        if (MinTtl > MaxTtl)
            errors.Add($"Resolver:Cache:MinTtl ({MinTtl}) is above MaxTtl ({MaxTtl})");
        if (ServerFailureTtl < TimeSpan.Zero || ServerFailureTtl > TimeSpan.FromMinutes(5))
            errors.Add($"Resolver:Cache:ServerFailureTtl must be 0..5 minutes (RFC 2308 §7), was {ServerFailureTtl}");
        if (StaleRetention < TimeSpan.Zero)
            errors.Add($"Resolver:Cache:StaleRetention must not be negative (was {StaleRetention})");
        if (StaleAnswerClientTimeout < TimeSpan.Zero && StaleAnswerClientTimeout != Timeout.InfiniteTimeSpan)
            errors.Add($"Resolver:Cache:StaleAnswerClientTimeout must be zero or more, or infinite to turn it off (was {StaleAnswerClientTimeout})");
        if (PrefetchThreshold is < 0 or >= 1)
            errors.Add($"Resolver:Cache:PrefetchThreshold must be in [0, 1) (was {PrefetchThreshold})");
        return errors;
    }
}
