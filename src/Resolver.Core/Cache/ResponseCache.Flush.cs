using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Cache;

/// <summary>
/// Flushing (an operator's tool after changing data upstream): by exact name, by suffix, or all.
/// <para>
/// By name and by suffix walk MemoryCache's key enumeration, which takes no lock: hits and
/// inserts go on during the walk, and the caller pays O(entries) (a few milliseconds per
/// 100,000). A secondary name → keys index would make FlushName O(1) but has to be kept in step
/// with every eviction MemoryCache makes on its own (a callback and a Task per eviction), which
/// costs the flood path far more than a rare flush saves. Flush all swaps in an empty table.
/// </para>
/// <para>
/// Each flush also advances <see cref="Generation"/>. The forwarder reads it when it starts an
/// upstream query and hands it back to <see cref="Store(CacheKey, DnsMessage, uint, long)"/>:
/// an answer asked for before a flush is given to its clients but not cached, so a flush is not
/// undone by a query that was already in flight. (Any flush drops every in-flight answer from
/// caching, not only the flushed names': flushes are rare, the cost is one later miss each.)
/// </para>
/// </summary>
public sealed partial class ResponseCache
{
    private long _generation;

    /// <summary>Advances on every flush; see <see cref="Store(CacheKey, DnsMessage, uint, long)"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Removes every entry of exactly <paramref name="name"/> (all types, classes, DO and CD variants). Returns how many.</summary>
    public int FlushName(DnsName name) => Flush(name, belowToo: false, type: null);

    /// <summary>Removes the entries of exactly <paramref name="name"/> and <paramref name="type"/> (every class, DO and CD variant). Returns how many.</summary>
    public int FlushName(DnsName name, RecordType type) => Flush(name, belowToo: false, type);

    /// <summary>Removes <paramref name="suffix"/> and every name below it; the root flushes everything. Returns how many.</summary>
    public int FlushSuffix(DnsName suffix) => Flush(suffix, belowToo: true, type: null);

    /// <summary>Removes everything. Returns about how many entries there were (inserts may race with it).</summary>
    public int FlushAll()
    {
        Interlocked.Increment(ref _generation);
        int count = _cache.Count;
        _cache.Clear();
        _eviction.Clear();
        Metrics.Flushed(count);
        return count;
    }

    private int Flush(DnsName name, bool belowToo, RecordType? type)
    {
        Interlocked.Increment(ref _generation);
        // Keys hold lower-cased names (RFC 4343), so the target is lower-cased once here.
        Span<byte> target = stackalloc byte[name.WireLength];
        name.Wire.CopyTo(target);
        WireNameComparer.ToLowerInPlace(target);
        int removed = 0;
        foreach (object item in _cache.Keys)
        {
            if (item is CacheKey key && (type is null || key.Type == type)
                && (belowToo ? key.IsAtOrBelow(target) : key.Name.SequenceEqual(target)))
            {
                _cache.Remove(key);
                removed++;
            }
        }
        Metrics.Flushed(removed);
        return removed;
    }
}
