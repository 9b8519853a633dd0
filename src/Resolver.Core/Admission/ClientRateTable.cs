using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Resolver.Core.Admission;

/// <summary>
/// One token bucket (System.Threading.RateLimiting) per client address, keyed by the address as a
/// 128-bit number (IPv4 as IPv4-mapped IPv6), so a known client costs a lock-free lookup and no
/// allocation. PartitionedRateLimiter.Create is not used because its table has no size cap.
/// Buckets refill lazily on use (AutoReplenishment off: no timer per client), the table is capped
/// (new clients past the cap share one overflow bucket), and <see cref="Sweep"/> forgets idle clients.
/// </summary>
internal sealed class ClientRateTable
{
    private readonly ConcurrentDictionary<UInt128, ClientBucket> _clients = new();
    private readonly TokenBucketRateLimiterOptions _bucketOptions;
    private readonly ClientBucket _overflow;
    private readonly int _maxClients;
    private readonly TimeSpan _idleTime;
    private int _count;

    public ClientRateTable(RateLimitOptions options)
    {
        _bucketOptions = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.QueriesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            AutoReplenishment = false,
            QueueLimit = 0,
        };
        _maxClients = options.MaxTrackedClients;
        _idleTime = TimeSpan.FromSeconds(options.IdleSeconds);
        _overflow = new ClientBucket(new TokenBucketRateLimiter(_bucketOptions));
    }

    /// <summary>Clients tracked now (not counting those sharing the overflow bucket).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes one token for the client; false when its bucket is empty.</summary>
    public bool TryAcquire(UInt128 client) => Find(client).TryAcquire();

    /// <summary>Forgets clients whose buckets have been full for the idle time.</summary>
    public void Sweep()
    {
        foreach (var (key, bucket) in _clients)
        {
            if (bucket.IsIdleFor(_idleTime) && _clients.TryRemove(key, out _))
                Interlocked.Decrement(ref _count);
        }
    }

    private ClientBucket Find(UInt128 client)
    {
        if (_clients.TryGetValue(client, out var bucket))
            return bucket;
        if (Volatile.Read(ref _count) >= _maxClients)
            return _overflow;
        bucket = new ClientBucket(new TokenBucketRateLimiter(_bucketOptions));
        if (_clients.TryAdd(client, bucket))
        {
            Interlocked.Increment(ref _count);
            return bucket;
        }
        return _clients.TryGetValue(client, out var raced) ? raced : _overflow;
    }

    /// <summary>A client's bucket, and until when it is known to be empty.</summary>
    private sealed class ClientBucket(TokenBucketRateLimiter limiter)
    {
        // A failed lease is a new object each time; remembering its Retry-After lets a flooding
        // client be turned away without asking the limiter (and allocating) on every query.
        private long _emptyUntil;
        private long _lastUse = Stopwatch.GetTimestamp();

        public bool TryAcquire()
        {
            long now = Stopwatch.GetTimestamp();
            Volatile.Write(ref _lastUse, now);
            if (now < Volatile.Read(ref _emptyUntil))
                return false;
            limiter.TryReplenish();
            using var lease = limiter.AttemptAcquire();
            if (lease.IsAcquired)
                return true;
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                Volatile.Write(ref _emptyUntil, now + (long)(retryAfter.TotalSeconds * Stopwatch.Frequency));
            return false;
        }

        // Idle: not asked for the whole time, and the bucket has refilled (forgetting the client
        // then gives it nothing it would not have had anyway).
        public bool IsIdleFor(TimeSpan time)
        {
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUse)) < time)
                return false;
            limiter.TryReplenish();
            return limiter.IdleDuration is not null;
        }
    }
}
