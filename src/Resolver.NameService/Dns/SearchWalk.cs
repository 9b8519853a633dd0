namespace Resolver.NameService;

/// <summary>
/// Walks search candidates the way glibc's __res_context_search does, deciding after each
/// answer whether to go on, and which failure to report when nothing was found:
/// the as-is-first answer if there was one, else NoData if any candidate had data of another
/// type, else ServerFailure if any candidate got SERVFAIL, else the last answer.
/// A timeout or a hard failure ends the search-domain part (the as-is-last name is still tried),
/// since a name that failed that way would fail the same way under the next domain.
/// </summary>
public sealed class SearchWalk
{
    private readonly IReadOnlyList<SearchCandidate> _candidates;
    private int _next;
    private bool _searchDone;
    private DnsLookupOutcome? _asIsFirst;
    private bool _gotNoData, _gotServerFailure;
    private DnsLookupOutcome _last = DnsLookupOutcome.NxDomain;

    public SearchWalk(IReadOnlyList<SearchCandidate> candidates) => _candidates = candidates;

    /// <summary>True once a candidate succeeded.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>The next name to ask, or null when the walk is over.</summary>
    public SearchCandidate? Next()
    {
        if (Succeeded) return null;
        while (_next < _candidates.Count)
        {
            SearchCandidate c = _candidates[_next++];
            if (c.Kind == SearchCandidateKind.SearchDomain && _searchDone) continue;
            return c;
        }
        return null;
    }

    /// <summary>Records how the last name from <see cref="Next"/> ended.</summary>
    public void Record(SearchCandidate candidate, DnsLookupOutcome outcome)
    {
        _last = outcome;
        if (outcome == DnsLookupOutcome.Success) { Succeeded = true; return; }
        switch (candidate.Kind)
        {
            case SearchCandidateKind.AsIsFirst:
                _asIsFirst = outcome;
                break;
            case SearchCandidateKind.SearchDomain:
                if (outcome == DnsLookupOutcome.NoData) _gotNoData = true;
                else if (outcome == DnsLookupOutcome.ServerFailure) _gotServerFailure = true;
                else if (outcome != DnsLookupOutcome.NxDomain) _searchDone = true;
                break;
        }
    }

    /// <summary>The outcome to report for the whole walk.</summary>
    public DnsLookupOutcome Outcome =>
        Succeeded ? DnsLookupOutcome.Success
        : _asIsFirst ?? (_gotNoData ? DnsLookupOutcome.NoData
        : _gotServerFailure ? DnsLookupOutcome.ServerFailure
        : _last);
}
