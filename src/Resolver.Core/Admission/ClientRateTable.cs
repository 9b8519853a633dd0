using System.Collections.Concurrent;

namespace Resolver.Core.Admission;

/// <summary>
/// One token bucket per client address, keyed by the address as a 128-bit number (IPv4 as IPv4-mapped IPv6),
/// so a known client costs a lock-free lookup, one compare-and-swap and no allocation. The table is capped
/// (new clients past the cap share one overflow bucket) and <see cref="Sweep"/> forgets idle clients.
/// All time is the injected <see cref="TimeProvider"/>'s: a test advances it instead of sleeping.
/// </summary>
/// <remarks>
/// Why not System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c> (this table's buckets until the clock
/// became a service): it reads <c>Stopwatch.GetTimestamp</c> itself. With AutoReplenishment off, <c>TryReplenish</c>
/// adds the tokens of the real time elapsed since its last call; with it on, a timer of its own adds them. Neither
/// can follow a <see cref="TimeProvider"/> (dotnet/runtime#106447 proposes one, still open), so its refill could
/// only be tested by sleeping, and its idle time too. <c>PartitionedRateLimiter.Create</c> was never an option:
/// its partition table has no size cap. The bucket below is the same token bucket (size Burst, refilled at
/// QueriesPerSecond) in a form that needs one number per client; when the runtime's limiter takes a
/// TimeProvider, it can come back.
/// </remarks>
internal sealed class ClientRateTable
{
    private readonly ConcurrentDictionary<UInt128, ClientBucket> _clients = new();
    private readonly TimeProvider _time;
    private readonly ClientBucket _overflow;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly long _idleTime;
    private readonly int _maxClients;
    private int _count;

    public ClientRateTable(RateLimitOptions options, TimeProvider time)
    {
        _time = time;
        long frequency = time.TimestampFrequency;
        // Time between two tokens, in the clock's timestamp units (rounded down: at most one unit per query fast).
        _interval = Math.Max(1, frequency / options.QueriesPerSecond);
        _tolerance = checked(_interval * options.Burst);
        _idleTime = checked(frequency * options.IdleSeconds);
        _maxClients = options.MaxTrackedClients;
        _overflow = new ClientBucket(time.GetTimestamp());
    }

    /// <summary>Clients tracked now (not counting those sharing the overflow bucket).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes one token for the client; false when its bucket is empty.</summary>
    public bool TryAcquire(UInt128 client)
    {
        long now = _time.GetTimestamp();
        return Find(client, now).TryAcquire(now, _interval, _tolerance);
    }

    /// <summary>Forgets clients not asked for the idle time whose buckets are full again.</summary>
    public void Sweep()
    {
        long now = _time.GetTimestamp();
        foreach (var (key, bucket) in _clients)
        {
            if (bucket.IsIdle(now, _idleTime) && _clients.TryRemove(key, out _))
                Interlocked.Decrement(ref _count);
        }
    }

    private ClientBucket Find(UInt128 client, long now)
    {
        if (_clients.TryGetValue(client, out var bucket))
            return bucket;
        if (Volatile.Read(ref _count) >= _maxClients)
            return _overflow;
        bucket = new ClientBucket(now);
        if (_clients.TryAdd(client, bucket))
        {
            Interlocked.Increment(ref _count);
            return bucket;
        }
        return _clients.TryGetValue(client, out var raced) ? raced : _overflow;
    }

    /// <summary>
    /// A token bucket kept as the instant it will be full again (the "virtual scheduling" form of ITU-T I.371's
    /// generic cell rate algorithm): each query moves that instant one interval later, from now if it has passed;
    /// a query that would move it more than Burst intervals past now finds the bucket empty and costs nothing.
    /// So a full bucket lets Burst queries through at once and then one per interval, exactly as tokens would.
    /// </summary>
    private sealed class ClientBucket(long now)
    {
        private long _fullAt = now;
        private long _lastUse = now;

        public bool TryAcquire(long now, long interval, long tolerance)
        {
            Volatile.Write(ref _lastUse, now);
            long fullAt = Volatile.Read(ref _fullAt);
            while (true)
            {
                long next = Math.Max(fullAt, now) + interval;
                if (next - now > tolerance)
                    return false;
                long seen = Interlocked.CompareExchange(ref _fullAt, next, fullAt);
                if (seen == fullAt)
                    return true;
                fullAt = seen; // another query of this client took a token first: try again from its result
            }
        }

        // Idle: not asked for the whole time, and the bucket has refilled (forgetting the client
        // then gives it nothing it would not have had anyway).
        public bool IsIdle(long now, long idleTime) =>
            now - Volatile.Read(ref _lastUse) >= idleTime && Volatile.Read(ref _fullAt) <= now;
    }
}
