using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Cache;

/// <summary>
/// The cache as the forwarder sees it: store what upstream said (an answer, or a failure), answer a client from a
/// stored entry, and give stale data when upstream cannot (RFC 8767). The forwarder needs nothing else of
/// <see cref="ResponseCache"/>; the other way round, the cache asks the forwarder for prefetches only through
/// <see cref="ICacheRefresher"/>. A stage between them (a shared cache, validation) works on these two faces.
/// </summary>
internal interface IAnswerStore
{
    /// <summary>Read before asking upstream; an answer that raced a flush is not stored (see <see cref="StoreAnswer"/>).</summary>
    long Generation { get; }

    /// <summary>How long a client waits for a refresh before it is given the stale entry (RFC 8767 §5).</summary>
    TimeSpan StaleAnswerClientTimeout { get; }

    /// <summary>The TTL an answer is kept for (clamped, negative TTL by RFC 2308 §5).</summary>
    uint TtlFor(DnsMessage answer);

    /// <summary>Builds an answer's cached wire form, stores it when it may be kept, and returns it.</summary>
    CachedResponse? StoreAnswer(CacheKey key, DnsMessage answer, uint ttl, long generation);

    /// <summary>Remembers a failure briefly (RFC 2308 §7), unless an older answer is kept for serve-stale.</summary>
    void StoreServerFailure(CacheKey key, DnsQuestion question);

    /// <summary>Remembers a SERVFAIL for <paramref name="keptFor"/> whose hits repeat <paramref name="failureCode"/> (a DNSSEC bogus answer).</summary>
    void StoreServerFailure(CacheKey key, DnsQuestion question, Resolver.Protocol.Edns.ExtendedErrorCode? failureCode, TimeSpan keptFor);

    /// <summary>A fresh entry parsed as a message (the DNSSEC chain's DS/DNSKEY answers), or null.</summary>
    DnsMessage? TryGetMessage(CacheKey key);

    /// <summary>Writes a stored entry as the answer to a client, as a hit would.</summary>
    int WriteAnswer(in QueryRequest request, CachedResponse entry, Span<byte> destination);

    /// <summary>True when there is an expired entry the client could be given.</summary>
    bool HasStaleAnswer(in QueryRequest request);

    /// <summary>Writes the stale entry (RFC 8767 §4, TTL 30, EDE 3/19); 0 when there is none.</summary>
    int TryAnswerStale(in QueryRequest request, Span<byte> destination, bool upstreamFailed = true);
}
