namespace Resolver.Core.Cache;

/// <summary>
/// Keeps the cache within its byte budget one entry at a time, on the insert that needs the room: a CLOCK (second
/// chance) over the entries in insertion order, where an entry hit since the hand last passed goes round again and
/// any other is evicted. A few steps per insert, under a lock only inserts take.
/// </summary>
/// <remarks>
/// Why not MemoryCache's own SizeLimit eviction: past the limit it refuses the new entry and compacts on a thread
/// pool thread by sorting every entry by last access, O(n log n) with a large array of garbage each time. At 200,000
/// entries that took the receive loops' core for 100 ms and more, and after a burst of misses hits were answered up
/// to 76 ms late (scripts/bench.sh, first second after the miss row; none with a cache that never filled). The
/// MemoryCache limit stays, set above this budget, as a backstop that should never be reached.
/// Entries MemoryCache drops on its own (expired, replaced, flushed) stay charged here until a sweep finds them: each
/// insert also looks at <see cref="SweepPerInsert"/> slots at the hand, dropping the dead and moving the live to the
/// back, so a cache that never fills does not hold its expired answers until it does.
/// </remarks>
/// <param name="budget">Bytes of charges the cache may hold.</param>
/// <param name="evict">Removes a victim from the cache.</param>
/// <param name="isCurrent">Whether the cache still holds this very entry (not expired, replaced or flushed).</param>
internal sealed class EvictionClock(long budget, Action<CacheKey, CachedResponse> evict, Func<CacheKey, CachedResponse, bool> isCurrent)
{
    /// <summary>
    /// Steps one insert may take. When every entry has been hit since the last pass the hand goes round clearing marks;
    /// the cap spreads that over later inserts instead of one insert walking the whole cache.
    /// </summary>
    private const int MaxStepsPerInsert = 64;

    /// <summary>Slots checked for entries MemoryCache dropped, per insert: two, so the sweep outpaces the inserts.</summary>
    private const int SweepPerInsert = 2;

    private readonly Lock _lock = new();
    private readonly Queue<Slot> _ring = new();
    private long _charged;

    /// <summary>Bytes charged for the entries the clock holds (a few steps' worth above the budget at most, briefly).</summary>
    public long Charged
    {
        get
        {
            lock (_lock)
                return _charged;
        }
    }

    /// <summary>
    /// Records an entry just inserted with <paramref name="charge"/>, then evicts until the charges fit the budget
    /// again, and sweeps a few slots for entries the cache no longer holds.
    /// </summary>
    public void Inserted(CacheKey key, CachedResponse entry, long charge)
    {
        lock (_lock)
        {
            _ring.Enqueue(new Slot(key, entry, charge));
            _charged += charge;
            for (int step = 0; _charged > budget && step < MaxStepsPerInsert && _ring.TryDequeue(out var slot); step++)
            {
                if (slot.Entry.TakeReferenced())
                {
                    _ring.Enqueue(slot);
                    continue;
                }
                _charged -= slot.Charge;
                evict(slot.Key, slot.Entry);
            }
            for (int step = 0; step < SweepPerInsert && _ring.TryDequeue(out var slot); step++)
            {
                if (isCurrent(slot.Key, slot.Entry))
                    _ring.Enqueue(slot);
                else
                    _charged -= slot.Charge;
            }
        }
    }

    /// <summary>Forgets every slot (the cache was emptied).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _ring.Clear();
            _charged = 0;
        }
    }

    private readonly record struct Slot(CacheKey Key, CachedResponse Entry, long Charge);
}
