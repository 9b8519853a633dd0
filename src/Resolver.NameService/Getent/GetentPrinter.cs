using System.Globalization;
using System.Net;
using System.Text;

namespace Resolver.NameService;

/// <summary>The getent databases this printer knows (the host ones).</summary>
public enum GetentDatabase
{
    /// <summary>gethostbyaddr / gethostbyname2 (IPv6, then IPv4).</summary>
    Hosts,
    /// <summary>getaddrinfo with AF_UNSPEC.</summary>
    AHosts,
    /// <summary>getaddrinfo with AF_INET.</summary>
    AHostsV4,
    /// <summary>getaddrinfo with AF_INET6 and AI_V4MAPPED.</summary>
    AHostsV6,
}

/// <summary>What a getent-like command writes: standard output, standard error and the exit status.</summary>
public sealed record GetentOutput(string Text, int ExitCode, string Error = "")
{
    /// <summary>getent's exit statuses (getent(1)).</summary>
    public const int Found = 0, Usage = 1, NotFound = 2, NoEnumeration = 3;
}

/// <summary>
/// Produces exactly what glibc's <c>getent hosts|ahosts|ahostsv4|ahostsv6 KEY...</c> prints
/// (nss/getent.c), and a <c>nameinfo ADDR [PORT]</c> line, from the lookups of this library.
/// It only returns text: writing it and exiting with the status is the caller's job.
/// </summary>
public sealed class GetentPrinter(NameServiceSources sources)
{
    /// <summary>getent's ahosts hints: AI_V4MAPPED | AI_ADDRCONFIG | AI_CANONNAME plus its IDN flags.</summary>
    private const AddrInfoFlags AHostsFlags = AddrInfoFlags.V4Mapped | AddrInfoFlags.AddrConfig | AddrInfoFlags.CanonName
        | AddrInfoFlags.Idn | AddrInfoFlags.CanonIdn;

    /// <summary>The database for a getent database name ("hosts", "ahosts", "ahostsv4", "ahostsv6").</summary>
    public static bool TryParseDatabase(string name, out GetentDatabase database)
    {
        (bool known, database) = name switch
        {
            "hosts" => (true, GetentDatabase.Hosts),
            "ahosts" => (true, GetentDatabase.AHosts),
            "ahostsv4" => (true, GetentDatabase.AHostsV4),
            "ahostsv6" => (true, GetentDatabase.AHostsV6),
            _ => (false, GetentDatabase.Hosts),
        };
        return known;
    }

    /// <summary>
    /// <c>getent DATABASE KEY...</c>: every key found is printed; the status is 2 when any key was
    /// not found, else 0. No keys enumerates the hosts file, one line per entry.
    /// </summary>
    public GetentOutput Print(GetentDatabase database, IReadOnlyList<string> keys) =>
        PrintCoreAsync(database, keys, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<GetentOutput> PrintAsync(GetentDatabase database, IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        PrintCoreAsync(database, keys, synchronous: false, cancellationToken);

    private async ValueTask<GetentOutput> PrintCoreAsync(GetentDatabase database, IReadOnlyList<string> keys, bool synchronous, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (keys.Count == 0)
        {
            // sethostent/gethostent: only the files module enumerates; each line is one hostent.
            foreach (HostsEntry line in sources.Hosts.Entries)
                AppendHostLine(text, line.Address, line.CanonicalName, line.Aliases);
            return new GetentOutput(text.ToString(), GetentOutput.Found);
        }
        int status = GetentOutput.Found;
        foreach (string key in keys)
        {
            bool found = database == GetentDatabase.Hosts
                ? await PrintHostsKeyAsync(text, key, synchronous, ct)
                : await PrintAHostsKeyAsync(text, key, database, synchronous, ct);
            if (!found) status = GetentOutput.NotFound;
        }
        return new GetentOutput(text.ToString(), status);
    }

    /// <summary>hosts_keys: an IPv6 then IPv4 literal (inet_pton) is looked up by address, anything else by name, IPv6 first.</summary>
    private async ValueTask<bool> PrintHostsKeyAsync(StringBuilder text, string key, bool synchronous, CancellationToken ct)
    {
        var lookup = new GetHostByName(sources);
        HostEntryResult result;
        if (InetAddressText.TryParsePton6(key, out IPAddress v6) || InetAddressText.TryParsePton4(key, out v6))
            result = synchronous ? lookup.ByAddress(v6) : await lookup.ByAddressAsync(v6, ct);
        else
        {
            result = synchronous ? lookup.ByName(key, AddrFamily.Inet6) : await lookup.ByNameAsync(key, AddrFamily.Inet6, ct);
            if (result.Entry is null)
                result = synchronous ? lookup.ByName(key, AddrFamily.Inet) : await lookup.ByNameAsync(key, AddrFamily.Inet, ct);
        }
        if (result.Entry is not HostEntry entry) return false;
        AppendHostEntry(text, entry);
        return true;
    }

    private async ValueTask<bool> PrintAHostsKeyAsync(StringBuilder text, string key, GetentDatabase database, bool synchronous, CancellationToken ct)
    {
        var hints = new AddrInfoHints(AHostsFlags, database switch
        {
            GetentDatabase.AHostsV4 => AddrFamily.Inet,
            GetentDatabase.AHostsV6 => AddrFamily.Inet6,
            _ => AddrFamily.Unspec,
        });
        var gai = new GetAddrInfo(sources);
        AddrInfoResult result = synchronous ? gai.Resolve(key, null, hints) : await gai.ResolveAsync(key, null, hints, ct);
        if (!result.IsSuccess) return false;
        AppendAddrInfo(text, result.Entries);
        return true;
    }

    /// <summary>
    /// ahosts lines: the address (with "%scope-number" for a scoped IPv6 address), padded so the
    /// address without its scope fills 15 columns, the socket type padded to 6, the canonical name.
    /// </summary>
    public static void AppendAddrInfo(StringBuilder text, IReadOnlyList<AddrInfo> entries)
    {
        foreach (AddrInfo e in entries)
        {
            IPAddress address = e.EndPoint.Address;
            string scope = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0
                ? "%" + ((uint)address.ScopeId).ToString(CultureInfo.InvariantCulture)
                : "";
            // getent 2.36 pads the address to 15 - strlen(scope) and then writes the scope (observed:
            // "fe80::1%1" + 5 blanks + " STREAM"), i.e. the whole field is 15 - strlen(scope) wide.
            string field = InetAddressText.Format(address) + scope;
            text.Append(field);
            text.Append(' ', Math.Max(0, 15 - scope.Length - field.Length));
            text.Append(' ');
            string sockType = SockTypeName(e.SockType);
            text.Append(sockType).Append(' ', Math.Max(0, 6 - sockType.Length));
            text.Append(' ').Append(e.CanonicalName ?? "").Append('\n');
        }
    }

    /// <summary>hosts lines (print_hosts): "%-15s %s" address and official name, then " alias" each; one line per address.</summary>
    public static void AppendHostEntry(StringBuilder text, HostEntry entry)
    {
        foreach (IPAddress address in entry.Addresses) AppendHostLine(text, address, entry.Name, entry.Aliases);
    }

    private static void AppendHostLine(StringBuilder text, IPAddress address, string name, IReadOnlyList<string> aliases)
    {
        string ip = InetAddressText.Format(address);
        text.Append(ip).Append(' ', Math.Max(0, 15 - ip.Length)).Append(' ').Append(name);
        foreach (string alias in aliases) text.Append(' ').Append(alias);
        text.Append('\n');
    }

    private static string SockTypeName(SockType type) => type switch
    {
        SockType.Stream => "STREAM",
        SockType.Dgram => "DGRAM",
        SockType.Raw => "RAW",
        SockType.SeqPacket => "SEQPACKET",
        SockType.Dccp => "DCCP",
        _ => ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// <c>nameinfo ADDR [PORT]</c>: getnameinfo of a numeric address (IPv4 in inet_aton form, IPv6 with
    /// "%scope") and port (a number or a service name), printed "host service" (just "host" without
    /// a port). Failures print "KEY: gai_strerror text" on standard error with status 2.
    /// </summary>
    public GetentOutput PrintNameInfo(string address, string? port = null, NameInfoFlags flags = NameInfoFlags.None) =>
        PrintNameInfoCoreAsync(address, port, flags, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public ValueTask<GetentOutput> PrintNameInfoAsync(string address, string? port = null, NameInfoFlags flags = NameInfoFlags.None,
        CancellationToken cancellationToken = default) =>
        PrintNameInfoCoreAsync(address, port, flags, synchronous: false, cancellationToken);

    private async ValueTask<GetentOutput> PrintNameInfoCoreAsync(string address, string? port, NameInfoFlags flags, bool synchronous, CancellationToken ct)
    {
        var parsed = NumericHost.TryParse(address, default, sources.InterfaceNames);
        if (parsed is not (AddrInfoError.Success, IPAddress ip))
            return Failure(address, parsed?.Error is AddrInfoError e and not AddrInfoError.Success ? e : AddrInfoError.NoName);
        int portNumber = 0;
        if (port is not null && !TryPort(port, flags, out portNumber)) return Failure(port, AddrInfoError.Service);

        var gni = new GetNameInfo(sources);
        var endPoint = new IPEndPoint(ip, portNumber);
        NameInfoResult result = synchronous
            ? gni.Resolve(endPoint, flags, wantHost: true, wantService: port is not null)
            : await gni.ResolveAsync(endPoint, flags, wantHost: true, wantService: port is not null, ct);
        if (!result.IsSuccess) return Failure(address, result.Error);
        string line = result.Service is null ? result.Host + "\n" : result.Host + " " + result.Service + "\n";
        return new GetentOutput(line, GetentOutput.Found);
    }

    private bool TryPort(string port, NameInfoFlags flags, out int number)
    {
        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number)) return number <= 0xFFFF;
        int? known = sources.Services.FindPort(port, flags.HasFlag(NameInfoFlags.Dgram) ? "udp" : "tcp");
        number = known ?? 0;
        return known is not null;
    }

    private static GetentOutput Failure(string what, AddrInfoError error) =>
        new("", GetentOutput.NotFound, what + ": " + AddrInfoErrorText.GaiStrError(error) + "\n");
}
