using System.Net;

namespace Resolver.NameService;

/// <summary>
/// Stub-resolver settings from /etc/resolv.conf (resolv.conf(5)), read with glibc's rules and
/// defaults: at most 3 nameservers (127.0.0.1 when none), the last "domain" or "search" line
/// wins, ndots 1 (max 15), timeout 5 s (max 30), attempts 2 (max 5).
/// </summary>
public sealed record ResolvConf
{
    /// <summary>glibc MAXNS.</summary>
    public const int MaxNameservers = 3;
    public const int MaxNdots = 15;
    public const int MaxTimeoutSeconds = 30;
    public const int MaxAttempts = 5;

    /// <summary>Servers in file order, port 53, IPv6 with its scope id.</summary>
    public IReadOnlyList<IPEndPoint> Nameservers { get; init; } = new[] { new IPEndPoint(IPAddress.Loopback, 53) };

    /// <summary>Search domains in order, as written (a "." entry stands for the root).</summary>
    public IReadOnlyList<string> Search { get; init; } = Array.Empty<string>();

    public int Ndots { get; init; } = 1;
    public int TimeoutSeconds { get; init; } = 5;
    public int Attempts { get; init; } = 2;
    public bool Rotate { get; init; }
    public bool Edns0 { get; init; }
    public bool UseVc { get; init; }
    public bool SingleRequest { get; init; }
    public bool SingleRequestReopen { get; init; }
    public bool NoTldQuery { get; init; }
    public bool TrustAd { get; init; }
    public bool NoAaaa { get; init; }

    /// <summary>The settings glibc uses when there is no resolv.conf at all.</summary>
    public static ResolvConf Default { get; } = new();

    /// <summary>
    /// Reads a resolv.conf; a missing file gives the defaults. <paramref name="hostName"/> (the
    /// machine's host name) supplies the search domain when the file names none, as glibc takes
    /// everything after the first dot of gethostname().
    /// </summary>
    public static ResolvConf Load(string path, string? hostName = null, IInterfaceNames? interfaces = null) =>
        Parse(File.Exists(path) ? File.ReadAllText(path) : "", hostName, interfaces);

    /// <summary>Parses resolv.conf text (see <see cref="Load"/>).</summary>
    public static ResolvConf Parse(string text, string? hostName = null, IInterfaceNames? interfaces = null)
    {
        var servers = new List<IPEndPoint>();
        List<string>? search = null;
        ResolvConf options = Default;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == ';' || line[0] == '#') continue;
            if (TryKeyword(line, "nameserver", out string[] args))
            {
                if (servers.Count < MaxNameservers && args.Length > 0)
                {
                    IPEndPoint? server = ParseNameserver(args[0], interfaces);
                    if (server is not null) servers.Add(server);
                }
            }
            else if (TryKeyword(line, "domain", out args))
            {
                if (args.Length > 0) search = new List<string> { args[0] };
            }
            else if (TryKeyword(line, "search", out args))
            {
                if (args.Length > 0) search = new List<string>(args);
            }
            else if (TryKeyword(line, "options", out args))
            {
                options = options.WithOptions(args);
            }
        }
        if (search is null && hostName is not null)
        {
            int dot = hostName.IndexOf('.');
            if (dot >= 0 && dot < hostName.Length - 1) search = new List<string> { hostName[(dot + 1)..] };
        }
        return options with
        {
            Nameservers = servers.Count > 0 ? servers : Default.Nameservers,
            Search = search ?? (IReadOnlyList<string>)Array.Empty<string>(),
        };
    }

    /// <summary>
    /// The LOCALDOMAIN and RES_OPTIONS environment variables as glibc applies them: LOCALDOMAIN
    /// replaces the search list, RES_OPTIONS is read after the file's "options" lines.
    /// </summary>
    public ResolvConf WithEnvironment(string? localDomain, string? resOptions)
    {
        ResolvConf result = this;
        if (localDomain is not null)
        {
            string[] domains = localDomain.Split(HostsFile.FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
            result = result with { Search = domains };
        }
        if (resOptions is not null)
            result = result.WithOptions(resOptions.Split(HostsFile.FieldSeparators, StringSplitOptions.RemoveEmptyEntries));
        return result;
    }

    private ResolvConf WithOptions(IEnumerable<string> words)
    {
        ResolvConf o = this;
        foreach (string w in words)
        {
            o = w switch
            {
                _ when w.StartsWith("ndots:", StringComparison.Ordinal) => o with { Ndots = Math.Min(Atoi(w[6..]), MaxNdots) },
                _ when w.StartsWith("timeout:", StringComparison.Ordinal) => o with { TimeoutSeconds = Math.Min(Atoi(w[8..]), MaxTimeoutSeconds) },
                _ when w.StartsWith("attempts:", StringComparison.Ordinal) => o with { Attempts = Math.Min(Atoi(w[9..]), MaxAttempts) },
                "rotate" => o with { Rotate = true },
                "edns0" => o with { Edns0 = true },
                "use-vc" => o with { UseVc = true },
                "single-request" => o with { SingleRequest = true },
                "single-request-reopen" => o with { SingleRequestReopen = true },
                "no-tld-query" => o with { NoTldQuery = true },
                "trust-ad" => o with { TrustAd = true },
                "no-aaaa" => o with { NoAaaa = true },
                _ => o, // unknown options are ignored, as glibc does
            };
        }
        return o;
    }

    /// <summary>C atoi on the leading digits; negative values are read as 0.</summary>
    private static int Atoi(string s)
    {
        int v = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c)) break;
            v = v > 1000 ? v : v * 10 + (c - '0');
        }
        return v;
    }

    // glibc's MATCH: the keyword must be followed by a blank.
    private static bool TryKeyword(string line, string keyword, out string[] args)
    {
        args = Array.Empty<string>();
        if (line.Length <= keyword.Length || !line.StartsWith(keyword, StringComparison.Ordinal)) return false;
        char after = line[keyword.Length];
        if (after != ' ' && after != '\t') return false;
        args = line[keyword.Length..].Split(HostsFile.FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    private static IPEndPoint? ParseNameserver(string text, IInterfaceNames? interfaces)
    {
        if (InetAddressText.TryParseAton(text, out IPAddress v4)) return new IPEndPoint(v4, 53);
        int percent = text.IndexOf('%');
        string bare = percent >= 0 ? text[..percent] : text;
        if (!InetAddressText.TryParsePton6(bare, out IPAddress v6)) return null;
        if (percent >= 0) v6.ScopeId = ScopeId.Parse(text[(percent + 1)..], v6, interfaces) ?? 0;
        return new IPEndPoint(v6, 53);
    }
}
