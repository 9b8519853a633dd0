using Resolver.Core.Cache;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Forwarding;

/// <summary>
/// What a forwarded query produced, shared by every coalesced client: a scrubbed answer, or the
/// reason there is none as an Extended DNS Error (RFC 8914) for the SERVFAIL.
/// </summary>
public sealed class ForwardOutcome
{
    private ForwardOutcome(DnsMessage? answer, ExtendedErrorOption? error, string? upstream = null, CachedResponse? entry = null, bool bogus = false)
    {
        IsBogus = bogus;
        Answer = answer;
        Entry = entry;
        Error = error;
        Upstream = upstream;
    }

    /// <summary>The upstream that gave <see cref="Answer"/> (for the query log).</summary>
    public string? Upstream { get; }

    /// <summary>The answer for clients (no OPT, TTLs already clamped), or null on failure.</summary>
    public DnsMessage? Answer { get; }

    /// <summary>
    /// <see cref="Answer"/>'s wire form as the cache keeps it (stored or not): every client of the miss is answered
    /// from these bytes, exactly as the hits after it will be. Null only when the answer could not be built.
    /// </summary>
    internal CachedResponse? Entry { get; }

    /// <summary>Why there is no answer.</summary>
    public ExtendedErrorOption? Error { get; }

    public static ForwardOutcome Answered(DnsMessage answer, string? upstream = null) => new(answer, null, upstream);

    internal static ForwardOutcome Answered(DnsMessage answer, CachedResponse? entry, string? upstream) => new(answer, null, upstream, entry);

    /// <summary>DNSSEC validation found the answer bogus (RFC 4035 §5.5): no stale answer replaces the SERVFAIL.</summary>
    public bool IsBogus { get; }

    public static ForwardOutcome Failed(ExtendedErrorCode code, string text, bool bogus = false) => new(null, new ExtendedErrorOption(code, text), null, null, bogus);
}
