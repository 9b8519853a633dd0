namespace Resolver.Core.Cache;

/// <summary>
/// A cached answer taken out of one process, to be put back into another (or the same after a restart): the key, the
/// wire answer the cache keeps, and its times as absolute wall-clock instants, because the cache's own monotonic
/// timestamps mean nothing outside the process that took them. Used by the snapshot file and the shared cache.
/// </summary>
public sealed class PortableCacheEntry(CacheKey key, byte[] wire, CachedResponseKind kind, bool authenticData, uint ttl,
    DateTimeOffset storedAt, DateTimeOffset freshUntil, DateTimeOffset staleUntil)
{
    public CacheKey Key { get; } = key;

    /// <summary>Header (ID 0), question, records without OPT, TTLs as first stored (see <see cref="CachedResponse"/>).</summary>
    public byte[] Wire { get; } = wire;

    public CachedResponseKind Kind { get; } = kind;

    public bool AuthenticData { get; } = authenticData;

    /// <summary>The entry TTL in seconds when it was stored.</summary>
    public uint Ttl { get; } = ttl;

    public DateTimeOffset StoredAt { get; } = storedAt;

    public DateTimeOffset FreshUntil { get; } = freshUntil;

    /// <summary>Until when the answer may be served stale (RFC 8767); equals FreshUntil without serve-stale.</summary>
    public DateTimeOffset StaleUntil { get; } = staleUntil;
}
