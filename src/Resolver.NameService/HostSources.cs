using System.Net;

namespace Resolver.NameService;

/// <summary>What one source (an NSS module in glibc's terms) found for a name and family.</summary>
internal sealed record SourceAnswer(DnsLookupOutcome Outcome, IReadOnlyList<IPAddress> Addresses, string? CanonicalName)
{
    public static readonly SourceAnswer NotFound = new(DnsLookupOutcome.NxDomain, Array.Empty<IPAddress>(), null);
}

/// <summary>A source of host addresses. <c>synchronous</c> makes every await complete inline.</summary>
internal interface IHostSource
{
    ValueTask<SourceAnswer> LookupAsync(string name, AddrFamily family, bool synchronous, CancellationToken cancellationToken);
}

/// <summary>The hosts file as a source ("files"): the name as given, no search list.</summary>
internal sealed class HostsFileSource(HostsFile hosts) : IHostSource
{
    public ValueTask<SourceAnswer> LookupAsync(string name, AddrFamily family, bool synchronous, CancellationToken cancellationToken)
    {
        IReadOnlyList<HostsEntry> entries = hosts.FindByName(name, family);
        if (entries.Count == 0) return ValueTask.FromResult(SourceAnswer.NotFound);
        var addresses = new List<IPAddress>(entries.Count);
        foreach (HostsEntry e in entries) addresses.Add(e.Address);
        return ValueTask.FromResult(new SourceAnswer(DnsLookupOutcome.Success, addresses, entries[0].CanonicalName));
    }
}

/// <summary>
/// DNS as a source ("dns"): the search list walked as glibc does, asking A, AAAA, or both at once
/// for AF_UNSPEC (in parallel when asynchronous; "options no-aaaa" leaves AAAA out).
/// </summary>
internal sealed class DnsSource(IDnsHostLookup dns, ResolvConf conf) : IHostSource
{
    public async ValueTask<SourceAnswer> LookupAsync(string name, AddrFamily family, bool synchronous, CancellationToken cancellationToken)
    {
        var walk = new SearchWalk(SearchListExpander.Expand(name, conf.Search, conf.Ndots, conf.NoTldQuery));
        while (walk.Next() is SearchCandidate candidate)
        {
            SourceAnswer answer = await AskAsync(candidate.AbsoluteName, family, synchronous, cancellationToken);
            walk.Record(candidate, answer.Outcome);
            if (answer.Outcome == DnsLookupOutcome.Success)
                return answer with { CanonicalName = answer.CanonicalName ?? candidate.AbsoluteName[..^1] };
        }
        return new SourceAnswer(walk.Outcome, Array.Empty<IPAddress>(), null);
    }

    private async ValueTask<SourceAnswer> AskAsync(string absoluteName, AddrFamily family, bool synchronous, CancellationToken ct)
    {
        if (family == AddrFamily.Inet || (family == AddrFamily.Unspec && conf.NoAaaa))
            return From(await Ask(absoluteName, DnsQueryType.A, synchronous, ct));
        if (family == AddrFamily.Inet6)
            return From(await Ask(absoluteName, DnsQueryType.Aaaa, synchronous, ct));

        // Both questions in flight before either is awaited.
        ValueTask<DnsHostAnswer> a = Ask(absoluteName, DnsQueryType.A, synchronous, ct);
        ValueTask<DnsHostAnswer> aaaa = Ask(absoluteName, DnsQueryType.Aaaa, synchronous, ct);
        DnsHostAnswer answerA = await a;
        DnsHostAnswer answerAaaa = await aaaa;
        return Combine(answerA, answerAaaa);
    }

    private ValueTask<DnsHostAnswer> Ask(string name, DnsQueryType type, bool synchronous, CancellationToken ct) =>
        synchronous ? ValueTask.FromResult(dns.Lookup(name, type)) : dns.LookupAsync(name, type, ct);

    private static SourceAnswer From(DnsHostAnswer answer) =>
        answer.Outcome == DnsLookupOutcome.Success && answer.Addresses.Count > 0
            ? new SourceAnswer(DnsLookupOutcome.Success, answer.Addresses, TrimDot(answer.CanonicalName))
            : new SourceAnswer(answer.Outcome == DnsLookupOutcome.Success ? DnsLookupOutcome.NoData : answer.Outcome,
                Array.Empty<IPAddress>(), null);

    /// <summary>
    /// A and AAAA as one question, like glibc's res_queryN: found if either has addresses (A first);
    /// otherwise a timeout on either is a timeout, else the A answer's code unless A was NOERROR.
    /// </summary>
    internal static SourceAnswer Combine(DnsHostAnswer a, DnsHostAnswer aaaa)
    {
        SourceAnswer fromA = From(a), fromAaaa = From(aaaa);
        if (fromA.Outcome == DnsLookupOutcome.Success || fromAaaa.Outcome == DnsLookupOutcome.Success)
        {
            var addresses = new List<IPAddress>(fromA.Addresses);
            addresses.AddRange(fromAaaa.Addresses);
            return new SourceAnswer(DnsLookupOutcome.Success, addresses, fromA.CanonicalName ?? fromAaaa.CanonicalName);
        }
        if (fromA.Outcome == DnsLookupOutcome.TryAgain || fromAaaa.Outcome == DnsLookupOutcome.TryAgain)
            return new SourceAnswer(DnsLookupOutcome.TryAgain, Array.Empty<IPAddress>(), null);
        return fromA.Outcome == DnsLookupOutcome.NoData ? fromAaaa : fromA;
    }

    private static string? TrimDot(string? name) => name is not null && name.EndsWith('.') ? name[..^1] : name;
}
