using Resolver.Protocol;

namespace Resolver.Core.Cache;

/// <summary>What kind of answer an entry holds; decides the EDE a hit carries.</summary>
public enum CachedResponseKind : byte
{
    /// <summary>Data for the question (possibly through a CNAME chain).</summary>
    Answer,

    /// <summary>NXDOMAIN or NODATA with its SOA (RFC 2308).</summary>
    Negative,

    /// <summary>Our own SERVFAIL, remembered for a few seconds (RFC 2308 §7).</summary>
    ServerFailure,
}

/// <summary>
/// One cached answer as immutable wire bytes: header (ID 0), the question, the records without
/// OPT, plus the offsets of every TTL field. A hit copies the bytes and patches ID, flags, the
/// question's letter case and the TTLs; nothing is re-encoded. Times are
/// <see cref="TimeProvider.GetTimestamp"/> ticks.
/// </summary>
internal sealed class CachedResponse
{
    public CachedResponse(byte[] wire, ushort[] ttlOffsets, int questionNameLength, CachedResponseKind kind, bool authenticData,
        uint ttl, long storedAt, long freshUntil, long staleUntil)
    {
        Wire = wire;
        TtlOffsets = ttlOffsets;
        QuestionNameLength = questionNameLength;
        Kind = kind;
        AuthenticData = authenticData;
        Ttl = ttl;
        StoredAt = storedAt;
        FreshUntil = freshUntil;
        StaleUntil = staleUntil;
    }

    public byte[] Wire { get; }

    public ushort[] TtlOffsets { get; }

    public int QuestionNameLength { get; }

    public CachedResponseKind Kind { get; }

    public DnsResponseCode ResponseCode => (DnsResponseCode)(Wire[3] & 0xF);

    public bool AuthenticData { get; }

    /// <summary>For a remembered SERVFAIL: the EDE a hit repeats (a DNSSEC reason), or null for Cached Error.</summary>
    public Resolver.Protocol.Edns.ExtendedErrorCode? FailureCode { get; internal set; }

    /// <summary>The entry TTL in seconds when it was stored.</summary>
    public uint Ttl { get; }

    public long StoredAt { get; }

    public long FreshUntil { get; }

    /// <summary>Until when the entry may be served stale (RFC 8767); equals FreshUntil when serve-stale is off.</summary>
    public long StaleUntil { get; }

    private long _staleHoldUntil;
    private int _prefetchClaimed;

    /// <summary>After an upstream failure the entry is answered stale directly until then (RFC 8767 §5).</summary>
    public long StaleHoldUntil
    {
        get => Volatile.Read(ref _staleHoldUntil);
        set => Volatile.Write(ref _staleHoldUntil, value);
    }

    /// <summary>True for the one caller that gets to start a prefetch of this entry.</summary>
    public bool TryClaimPrefetch() => Interlocked.Exchange(ref _prefetchClaimed, 1) == 0;

    // Set by hits, cleared by the eviction clock as it passes (second chance). A plain field: a lost update
    // costs at most one early eviction, while an interlocked write on every hit would cost every hit.
    private bool _referenced;

    /// <summary>A hit: the entry is kept the next time the eviction clock reaches it.</summary>
    public void MarkReferenced()
    {
        if (!_referenced)
            _referenced = true; // no write (and no cache-line traffic between cores) once set
    }

    /// <summary>Whether a hit came since the clock last passed, clearing the mark.</summary>
    internal bool TakeReferenced()
    {
        if (!_referenced)
            return false;
        _referenced = false;
        return true;
    }
}
