namespace Resolver.NameService;

/// <summary>Why a candidate name is on the list; the search walk treats each kind differently.</summary>
public enum SearchCandidateKind
{
    /// <summary>The name as given, tried first because it has at least ndots dots or ends in '.'.</summary>
    AsIsFirst,
    /// <summary>The name with one search domain appended.</summary>
    SearchDomain,
    /// <summary>The name as given, tried after the search domains.</summary>
    AsIsLast,
}

/// <summary>One absolute name (ending in '.') to ask, and why.</summary>
public readonly record struct SearchCandidate(string AbsoluteName, SearchCandidateKind Kind);

/// <summary>
/// The names a stub resolver asks for a host name, in glibc's order (resolv/res_query.c,
/// __res_context_search; resolv.conf(5) "ndots"): a name with at least ndots dots is tried as is
/// first; a trailing dot means the name is absolute and only it is tried; otherwise each search
/// domain is appended in turn, and the name as is comes last unless already tried (or a root
/// search domain stood for it). With no-tld-query a dotless name is never tried as is.
/// </summary>
public static class SearchListExpander
{
    public static IReadOnlyList<SearchCandidate> Expand(string name, IReadOnlyList<string> searchDomains, int ndots, bool noTldQuery = false)
    {
        var candidates = new List<SearchCandidate>();
        if (name.Length == 0) return candidates;
        bool trailingDot = name[^1] == '.';
        string bare = trailingDot ? name[..^1] : name;
        int dots = 0;
        foreach (char c in bare) if (c == '.') dots++;

        bool triedAsIs = false;
        if (dots >= ndots || trailingDot)
        {
            candidates.Add(new SearchCandidate(bare + ".", SearchCandidateKind.AsIsFirst));
            if (trailingDot) return candidates;
            triedAsIs = true;
        }

        bool searched = false, rootOnList = false;
        foreach (string configured in searchDomains)
        {
            searched = true;
            string domain = configured.StartsWith('.') ? configured[1..] : configured;
            if (domain.EndsWith('.')) domain = domain[..^1];
            if (domain.Length == 0)
            {
                rootOnList = true;
                candidates.Add(new SearchCandidate(bare + ".", SearchCandidateKind.SearchDomain));
            }
            else candidates.Add(new SearchCandidate(bare + "." + domain + ".", SearchCandidateKind.SearchDomain));
        }

        if ((dots > 0 || !searched || !noTldQuery) && !(triedAsIs || rootOnList))
            candidates.Add(new SearchCandidate(bare + ".", SearchCandidateKind.AsIsLast));
        return candidates;
    }
}
