using System.Buffers.Binary;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Cache;

/// <summary>What <see cref="ResponseCache.Import(PortableCacheEntry)"/> made of an entry.</summary>
public enum ImportOutcome
{
    /// <summary>Put in the cache, fresh or kept for serve-stale.</summary>
    Imported,

    /// <summary>Past its serve-stale window (or fresh window, for a SERVFAIL): dropped.</summary>
    Expired,

    /// <summary>Not an answer this cache could have stored: dropped, never served.</summary>
    Rejected,
}

/// <summary>
/// Entries leaving and entering the process (snapshot file, shared cache) as <see cref="PortableCacheEntry"/>: times
/// translated between the cache's monotonic <see cref="TimeProvider.GetTimestamp"/> ticks and wall-clock instants.
/// An entry coming in is checked as strictly as an upstream answer would be: it must be a response to exactly its
/// key's question, its TTL fields within the cache's clamps and its times consistent, because a bad one would be
/// served to every client asking until it expires.
/// </summary>
public sealed partial class ResponseCache
{
    // Clock skew allowed between the instance that stored an entry and this one.
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(5);

    /// <summary>Told of answers stored from upstream (the shared cache's write-behind). Set once at start.</summary>
    public IResponseStoreObserver? StoreObserver { get; set; }

    /// <summary>
    /// Every answer held now that is still fresh or stale-servable, as portable entries (cached SERVFAILs are left out:
    /// they are seconds long and about a moment's failure). Walks the whole table; not for the hot path.
    /// </summary>
    public List<PortableCacheEntry> Export()
    {
        var entries = new List<PortableCacheEntry>(_cache.Count);
        long now = _time.GetTimestamp();
        foreach (object item in _cache.Keys)
        {
            if (item is CacheKey key && _cache.TryGetValue(key, out var value) && value is CachedResponse entry
                && entry.Kind != CachedResponseKind.ServerFailure && now < entry.StaleUntil)
                entries.Add(ToPortable(key, entry));
        }
        return entries;
    }

    /// <summary>
    /// Puts a portable entry in the cache, keeping its remaining fresh and stale time (its TTLs keep counting down from
    /// when it was first stored). Checked first; see the class remarks. Never calls <see cref="StoreObserver"/>.
    /// </summary>
    public ImportOutcome Import(PortableCacheEntry entry) => Import(entry, Generation, out _);

    /// <summary>
    /// As <see cref="Import(PortableCacheEntry)"/>, for an entry asked for at <paramref name="generation"/>: after a flush
    /// in between nothing is stored. <paramref name="reason"/> says why an entry was rejected.
    /// </summary>
    public ImportOutcome Import(PortableCacheEntry entry, long generation, out string? reason) =>
        Import(entry, generation, out reason, out _);

    /// <summary>As above, also giving the entry as stored, so the shared cache can answer from it (<see cref="TryWriteFresh"/>).</summary>
    internal ImportOutcome Import(PortableCacheEntry entry, long generation, out string? reason, out CachedResponse? imported)
    {
        imported = null;
        var nowWall = _time.GetUtcNow();
        long now = _time.GetTimestamp();
        if (!IsSane(entry, nowWall, out reason, out var ttlOffsets))
            return ImportOutcome.Rejected;
        var until = entry.Kind == CachedResponseKind.ServerFailure ? entry.FreshUntil : entry.StaleUntil;
        if (until <= nowWall)
            return ImportOutcome.Expired;
        if (generation != Generation)
            return ImportOutcome.Expired;
        long storedAt = ToTimestamp(entry.StoredAt > nowWall ? nowWall : entry.StoredAt, nowWall, now);
        long freshUntil = ToTimestamp(entry.FreshUntil, nowWall, now);
        long staleUntil = ToTimestamp(until, nowWall, now);
        var stored = entry.Key.ToImmutable();
        var response = new CachedResponse(entry.Wire, ttlOffsets, stored.Name.Length, entry.Kind, entry.AuthenticData, entry.Ttl,
            storedAt, freshUntil, staleUntil);
        Insert(stored, response, until - nowWall);
        imported = response;
        return ImportOutcome.Imported;
    }

    /// <summary>
    /// Answers from an entry <see cref="Import(PortableCacheEntry, long, out string?, out CachedResponse?)"/> just stored,
    /// as a hit would (TTLs lowered by its age since first stored, anywhere); 0 when it is only kept for serve-stale.
    /// </summary>
    internal int TryWriteFresh(in QueryRequest request, CachedResponse entry, Span<byte> destination)
    {
        if (_time.GetTimestamp() >= entry.FreshUntil)
            return 0;
        entry.MarkReferenced();
        return WriteAnswer(request, entry, destination);
    }

    private PortableCacheEntry ToPortable(CacheKey key, CachedResponse entry)
    {
        var nowWall = _time.GetUtcNow();
        long now = _time.GetTimestamp();
        return new PortableCacheEntry(key, entry.Wire, entry.Kind, entry.AuthenticData, entry.Ttl,
            ToWallClock(entry.StoredAt, nowWall, now), ToWallClock(entry.FreshUntil, nowWall, now), ToWallClock(entry.StaleUntil, nowWall, now));
    }

    private DateTimeOffset ToWallClock(long timestamp, DateTimeOffset nowWall, long now) =>
        nowWall + TimeSpan.FromSeconds((double)(timestamp - now) / _frequency);

    private long ToTimestamp(DateTimeOffset wall, DateTimeOffset nowWall, long now) =>
        now + (long)((wall - nowWall).TotalSeconds * _frequency);

    private bool IsSane(PortableCacheEntry entry, DateTimeOffset nowWall, out string? reason, out ushort[] ttlOffsets)
    {
        ttlOffsets = [];
        uint maxTtl = Math.Max(Options.MaxTtl, (uint)Options.ServerFailureTtl.TotalSeconds);
        if (entry.Ttl == 0 || entry.Ttl > maxTtl)
            return Reject($"entry TTL {entry.Ttl} outside 1..{maxTtl}", out reason);
        if (entry.StoredAt > nowWall + AllowedSkew)
            return Reject("entry stored in the future", out reason);
        var freshFor = entry.FreshUntil - entry.StoredAt;
        if (freshFor < TimeSpan.Zero || freshFor > TimeSpan.FromSeconds(entry.Ttl) + AllowedSkew)
            return Reject($"entry fresh for {freshFor}, its TTL is {entry.Ttl} s", out reason);
        var staleFor = entry.StaleUntil - entry.FreshUntil;
        if (staleFor < TimeSpan.Zero || staleFor > Options.StaleRetention + AllowedSkew)
            return Reject($"entry kept stale for {staleFor}, the limit is {Options.StaleRetention}", out reason);
        return IsAnswerTo(entry, maxTtl, out reason, out ttlOffsets);
    }

    /// <summary>A response (QR=1) with exactly one question, the key's name, type and class, and records that fit.</summary>
    private static bool IsAnswerTo(PortableCacheEntry entry, uint maxTtl, out string? reason, out ushort[] ttlOffsets)
    {
        ttlOffsets = [];
        var wire = entry.Wire.AsSpan();
        if (!DnsHeader.TryRead(wire, out var header) || !header.IsResponse || header.QuestionCount != 1)
            return Reject("entry is not a response with one question", out reason);
        var name = entry.Key.Name;
        int question = DnsHeader.Size;
        if (wire.Length < question + name.Length + 4 || !WireNameComparer.EqualsIgnoreCase(wire.Slice(question, name.Length), name))
            return Reject("entry answers another name", out reason);
        int after = question + name.Length;
        if (BinaryPrimitives.ReadUInt16BigEndian(wire[after..]) != (ushort)entry.Key.Type
            || BinaryPrimitives.ReadUInt16BigEndian(wire[(after + 2)..]) != (ushort)entry.Key.Class)
            return Reject("entry answers another type or class", out reason);
        bool serverFailure = (DnsResponseCode)header.ResponseCodeLow == DnsResponseCode.ServFail;
        if (serverFailure != (entry.Kind == CachedResponseKind.ServerFailure))
            return Reject("entry kind does not match its response code", out reason);
        try
        {
            ttlOffsets = CachedResponseBuilder.FindTtlOffsets(wire, strict: true);
        }
        catch (Exception error) when (error is DnsFormatException or ArgumentException or IndexOutOfRangeException)
        {
            return Reject("entry records do not parse: " + error.Message, out reason);
        }
        foreach (ushort offset in ttlOffsets)
        {
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(wire[offset..]);
            if (ttl > maxTtl)
                return Reject($"entry holds a record TTL of {ttl} s, above the cache's {maxTtl}", out reason);
        }
        reason = null;
        return true;
    }

    private static bool Reject(string message, out string? reason)
    {
        reason = message;
        return false;
    }
}
