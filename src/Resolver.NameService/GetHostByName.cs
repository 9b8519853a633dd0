using System.Net;

namespace Resolver.NameService;

/// <summary>h_errno values (netdb.h).</summary>
public enum HostErrno
{
    Success = 0,
    HostNotFound = 1, // HOST_NOT_FOUND
    TryAgain = 2,     // TRY_AGAIN
    NoRecovery = 3,   // NO_RECOVERY
    NoData = 4,       // NO_DATA
}

/// <summary>struct hostent: the official name, its aliases, and the addresses of one family.</summary>
public sealed record HostEntry(string Name, IReadOnlyList<string> Aliases, AddrFamily Family, IReadOnlyList<IPAddress> Addresses);

/// <summary>A hostent, or the h_errno that explains its absence.</summary>
public sealed record HostEntryResult(HostErrno Error, HostEntry? Entry);

/// <summary>
/// gethostbyname2 and gethostbyaddr over "files dns", which is what `getent hosts` prints
/// ("%-15s %s" address and name, then " alias" for each alias, one line per address).
/// </summary>
public sealed class GetHostByName(NameServiceSources sources)
{
    /// <summary>gethostbyname2(name, family) for <see cref="AddrFamily.Inet"/> or <see cref="AddrFamily.Inet6"/>.</summary>
    public HostEntryResult ByName(string name, AddrFamily family) =>
        ByNameCoreAsync(name, family, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<HostEntryResult> ByNameAsync(string name, AddrFamily family, CancellationToken cancellationToken = default) =>
        ByNameCoreAsync(name, family, synchronous: false, cancellationToken);

    /// <summary>gethostbyaddr: the hosts file's line, else the first PTR name (glibc keeps no PTR aliases).</summary>
    public HostEntryResult ByAddress(IPAddress address) =>
        ByAddressCoreAsync(address, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<HostEntryResult> ByAddressAsync(IPAddress address, CancellationToken cancellationToken = default) =>
        ByAddressCoreAsync(address, synchronous: false, cancellationToken);

    private async ValueTask<HostEntryResult> ByNameCoreAsync(string name, AddrFamily family, bool synchronous, CancellationToken ct)
    {
        if (family is not (AddrFamily.Inet or AddrFamily.Inet6)) return new HostEntryResult(HostErrno.NoRecovery, null);
        if (DigitsDots(name, family) is HostEntryResult literal) return literal;
        IReadOnlyList<HostsEntry> lines = sources.Hosts.FindByName(name, family);
        if (lines.Count > 0) return new HostEntryResult(HostErrno.Success, FromHostsLines(lines, family));
        if (sources.Dns is null) return new HostEntryResult(HostErrno.HostNotFound, null);

        DnsQueryType type = family == AddrFamily.Inet ? DnsQueryType.A : DnsQueryType.Aaaa;
        ResolvConf conf = sources.ResolvConf;
        var walk = new SearchWalk(SearchListExpander.Expand(name, conf.Search, conf.Ndots, conf.NoTldQuery));
        while (walk.Next() is SearchCandidate candidate)
        {
            DnsHostAnswer answer = synchronous
                ? sources.Dns.Lookup(candidate.AbsoluteName, type)
                : await sources.Dns.LookupAsync(candidate.AbsoluteName, type, ct);
            bool found = answer.Outcome == DnsLookupOutcome.Success && answer.Addresses.Count > 0;
            walk.Record(candidate, found ? DnsLookupOutcome.Success
                : answer.Outcome == DnsLookupOutcome.Success ? DnsLookupOutcome.NoData : answer.Outcome);
            if (found)
            {
                string official = TrimDot(answer.CanonicalName ?? candidate.AbsoluteName);
                var aliases = new List<string>();
                foreach (string alias in answer.Aliases) aliases.Add(TrimDot(alias));
                return new HostEntryResult(HostErrno.Success, new HostEntry(official, aliases, family, answer.Addresses));
            }
        }
        return new HostEntryResult(ToHostErrno(walk.Outcome), null);
    }

    private async ValueTask<HostEntryResult> ByAddressCoreAsync(IPAddress address, bool synchronous, CancellationToken ct)
    {
        AddrFamily family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddrFamily.Inet : AddrFamily.Inet6;
        HostsEntry? line = sources.Hosts.FindByAddress(address);
        if (line is not null)
            return new HostEntryResult(HostErrno.Success, new HostEntry(line.CanonicalName, line.Aliases, family, new[] { address }));
        if (sources.ReverseDns is null) return new HostEntryResult(HostErrno.HostNotFound, null);
        IPAddress asked = GetNameInfo.UnmapForReverseLookup(address);
        DnsReverseAnswer answer = synchronous ? sources.ReverseDns.Lookup(asked) : await sources.ReverseDns.LookupAsync(asked, ct);
        if (answer.Outcome == DnsLookupOutcome.Success && answer.Names.Count > 0)
            return new HostEntryResult(HostErrno.Success, new HostEntry(TrimDot(answer.Names[0]), Array.Empty<string>(), family, new[] { address }));
        return new HostEntryResult(ToHostErrno(answer.Outcome == DnsLookupOutcome.Success ? DnsLookupOutcome.NoData : answer.Outcome), null);
    }

    /// <summary>
    /// glibc's __nss_hostname_digits_dots, run before any database: a name of digits and dots
    /// (not ending in a dot) is an inet_aton address for AF_INET and "not found" for AF_INET6; a
    /// name with a colon made of hex digits, colons and dots is an inet_pton address for AF_INET6
    /// and "not found" for AF_INET. The hostent's name is the text given. Null: not a literal.
    /// </summary>
    internal static HostEntryResult? DigitsDots(string name, AddrFamily family)
    {
        if (name.Length == 0 || name[^1] == '.') return null;
        IPAddress? address = null;
        if (char.IsAsciiDigit(name[0]) && IsAll(name, ipv6: false))
        {
            if (family == AddrFamily.Inet && InetAddressText.TryParseAton(name, out IPAddress v4)) address = v4;
        }
        else if ((name[0] == ':' || (char.IsAsciiHexDigit(name[0]) && name.Contains(':'))) && IsAll(name, ipv6: true))
        {
            if (family == AddrFamily.Inet6 && InetAddressText.TryParsePton6(name, out IPAddress v6)) address = v6;
        }
        else return null;
        return address is null
            ? new HostEntryResult(HostErrno.HostNotFound, null)
            : new HostEntryResult(HostErrno.Success, new HostEntry(name, Array.Empty<string>(), family, new[] { address }));
    }

    private static bool IsAll(string name, bool ipv6)
    {
        foreach (char c in name)
        {
            bool ok = c == '.' || (ipv6 ? char.IsAsciiHexDigit(c) || c == ':' : char.IsAsciiDigit(c));
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// Several lines for one name make one hostent, as glibc's "multi" (its default since 2.26):
    /// the first line's name, every address, and the other lines' names and aliases as aliases.
    /// </summary>
    private static HostEntry FromHostsLines(IReadOnlyList<HostsEntry> lines, AddrFamily family)
    {
        string official = lines[0].CanonicalName;
        var aliases = new List<string>(lines[0].Aliases);
        var addresses = new List<IPAddress>(lines.Count);
        foreach (HostsEntry line in lines)
        {
            addresses.Add(line.Address);
            if (ReferenceEquals(line, lines[0])) continue;
            AddAlias(aliases, official, line.CanonicalName);
            foreach (string alias in line.Aliases) AddAlias(aliases, official, alias);
        }
        return new HostEntry(official, aliases, family, addresses);
    }

    private static void AddAlias(List<string> aliases, string official, string name)
    {
        if (string.Equals(name, official, StringComparison.OrdinalIgnoreCase)) return;
        foreach (string a in aliases)
            if (string.Equals(a, name, StringComparison.OrdinalIgnoreCase)) return;
        aliases.Add(name);
    }

    internal static HostErrno ToHostErrno(DnsLookupOutcome outcome) => outcome switch
    {
        DnsLookupOutcome.Success => HostErrno.Success,
        DnsLookupOutcome.NoData => HostErrno.NoData,
        DnsLookupOutcome.TryAgain or DnsLookupOutcome.ServerFailure => HostErrno.TryAgain,
        DnsLookupOutcome.Fail => HostErrno.NoRecovery,
        _ => HostErrno.HostNotFound,
    };

    private static string TrimDot(string name) => name.Length > 1 && name.EndsWith('.') ? name[..^1] : name;
}
