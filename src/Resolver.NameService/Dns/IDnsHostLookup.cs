using System.Net;

namespace Resolver.NameService;

/// <summary>Address record types getaddrinfo asks for.</summary>
public enum DnsQueryType
{
    A = 1,     // RFC 1035 §3.2.2
    Aaaa = 28, // RFC 3596 §2.1
}

/// <summary>
/// How one DNS question ended, in the terms glibc's stub resolver uses (h_errno):
/// the search-list logic and the EAI_* mapping depend on which of these it was.
/// </summary>
public enum DnsLookupOutcome
{
    /// <summary>NOERROR with at least one address of the asked type (after following CNAMEs).</summary>
    Success,
    /// <summary>NXDOMAIN: the name does not exist (HOST_NOT_FOUND). RFC 1035 §4.1.1 RCODE 3.</summary>
    NxDomain,
    /// <summary>NOERROR but no record of the asked type: the name exists (NO_DATA). RFC 2308 §2.2.</summary>
    NoData,
    /// <summary>
    /// No usable answer: every server timed out, was unreachable, or answered REFUSED/NOTIMP
    /// (TRY_AGAIN without SERVFAIL: glibc's res_send moves on past REFUSED and NOTIMP, then fails).
    /// glibc stops walking the search list on this.
    /// </summary>
    TryAgain,
    /// <summary>
    /// No server gave a usable answer and the last reply was SERVFAIL (TRY_AGAIN with SERVFAIL).
    /// glibc keeps walking the search list, and reports EAI_AGAIN only if nothing else was found.
    /// </summary>
    ServerFailure,
    /// <summary>
    /// NO_RECOVERY: a reply kept as the answer with FORMERR or another RCODE glibc does not move on
    /// from, a reply that cannot be read, or a name that cannot be put into a query.
    /// </summary>
    Fail,
}

/// <summary>
/// The answer to one address question.
/// </summary>
/// <param name="Outcome">How the question ended.</param>
/// <param name="Addresses">Addresses of the asked type, in answer order; empty unless Success.</param>
/// <param name="CanonicalName">
/// The owner of the address records, i.e. the end of the CNAME chain, without the trailing dot;
/// null when unknown (the queried name is used then).
/// </param>
public sealed record DnsHostAnswer(DnsLookupOutcome Outcome, IReadOnlyList<IPAddress> Addresses, string? CanonicalName)
{
    /// <summary>
    /// Owner names of the CNAME records followed, in chain order, without trailing dots
    /// (gethostbyname reports them as h_aliases; getaddrinfo does not use them).
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();

    public static DnsHostAnswer Of(DnsLookupOutcome outcome) => new(outcome, Array.Empty<IPAddress>(), null);
}

/// <summary>
/// One A or AAAA question for one absolute name, asked of the configured upstream servers
/// (timeouts, attempts, rotation and TCP fallback are the implementation's business).
/// The search list is NOT applied here: callers pass each candidate name themselves.
/// </summary>
public interface IDnsHostLookup
{
    /// <summary>Asks <paramref name="absoluteName"/> (always ends with '.', e.g. "www.example.com.").</summary>
    ValueTask<DnsHostAnswer> LookupAsync(string absoluteName, DnsQueryType type, CancellationToken cancellationToken = default);

    /// <summary>Blocking form of <see cref="LookupAsync"/>.</summary>
    DnsHostAnswer Lookup(string absoluteName, DnsQueryType type);
}

/// <summary>The answer to a PTR question.</summary>
/// <param name="Outcome">How the question ended.</param>
/// <param name="Names">PTR targets in answer order without trailing dots; empty unless Success.</param>
public sealed record DnsReverseAnswer(DnsLookupOutcome Outcome, IReadOnlyList<string> Names)
{
    public static DnsReverseAnswer Of(DnsLookupOutcome outcome) => new(outcome, Array.Empty<string>());
}

/// <summary>
/// A PTR question for an address: the implementation asks <see cref="ReverseName.For"/>(address).
/// IPv4-mapped and IPv4-compatible IPv6 addresses arrive already unmapped to IPv4, as glibc's
/// nss_dns does before building the name.
/// </summary>
public interface IDnsReverseLookup
{
    ValueTask<DnsReverseAnswer> LookupAsync(IPAddress address, CancellationToken cancellationToken = default);

    DnsReverseAnswer Lookup(IPAddress address);
}
