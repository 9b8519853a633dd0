using System.Net;

namespace Resolver.NameService;

/// <summary>
/// getnameinfo(3) with glibc's semantics: the host name from the hosts file, then reverse DNS
/// (<see cref="IDnsReverseLookup"/>); the service name from the services file.
/// </summary>
public sealed class GetNameInfo(NameServiceSources sources)
{
    private const NameInfoFlags KnownFlags = NameInfoFlags.NumericHost | NameInfoFlags.NumericServ | NameInfoFlags.NoFqdn
        | NameInfoFlags.NameReqd | NameInfoFlags.Dgram | NameInfoFlags.Idn | (NameInfoFlags)0xC0; // + glibc's deprecated IDN bits

    /// <summary>getnameinfo, blocking. <paramref name="wantHost"/>/<paramref name="wantService"/> stand for non-NULL buffers.</summary>
    public NameInfoResult Resolve(IPEndPoint endPoint, NameInfoFlags flags = NameInfoFlags.None, bool wantHost = true, bool wantService = true) =>
        ResolveCoreAsync(endPoint, flags, wantHost, wantService, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>getnameinfo.</summary>
    public ValueTask<NameInfoResult> ResolveAsync(IPEndPoint endPoint, NameInfoFlags flags = NameInfoFlags.None,
        bool wantHost = true, bool wantService = true, CancellationToken cancellationToken = default) =>
        ResolveCoreAsync(endPoint, flags, wantHost, wantService, synchronous: false, cancellationToken);

    private async ValueTask<NameInfoResult> ResolveCoreAsync(IPEndPoint endPoint, NameInfoFlags flags, bool wantHost, bool wantService,
        bool synchronous, CancellationToken ct)
    {
        if ((flags & ~KnownFlags) != 0) return NameInfoResult.Failed(AddrInfoError.BadFlags);
        if (flags.HasFlag(NameInfoFlags.NameReqd) && !wantHost && !wantService) return NameInfoResult.Failed(AddrInfoError.NoName);
        if (endPoint.AddressFamily is not (System.Net.Sockets.AddressFamily.InterNetwork or System.Net.Sockets.AddressFamily.InterNetworkV6))
            return NameInfoResult.Failed(AddrInfoError.Family);

        string? host = null;
        if (wantHost)
        {
            (AddrInfoError error, host) = await HostAsync(endPoint.Address, flags, synchronous, ct);
            if (error != AddrInfoError.Success) return NameInfoResult.Failed(error);
        }
        string? service = wantService ? Service(endPoint.Port, flags) : null;
        return new NameInfoResult(AddrInfoError.Success, host, service);
    }

    private async ValueTask<(AddrInfoError, string?)> HostAsync(IPAddress address, NameInfoFlags flags, bool synchronous, CancellationToken ct)
    {
        if (!flags.HasFlag(NameInfoFlags.NumericHost))
        {
            (DnsLookupOutcome outcome, string? name) = await NameOfAsync(address, synchronous, ct);
            if (outcome is DnsLookupOutcome.TryAgain or DnsLookupOutcome.ServerFailure) return (AddrInfoError.Again, null);
            if (name is not null)
                return (AddrInfoError.Success, flags.HasFlag(NameInfoFlags.NoFqdn) ? StripLocalDomain(name, sources.LocalDomain) : name);
        }
        if (flags.HasFlag(NameInfoFlags.NameReqd)) return (AddrInfoError.NoName, null);
        return (AddrInfoError.Success, NumericHost(address));
    }

    /// <summary>gethostbyaddr through "files dns".</summary>
    private async ValueTask<(DnsLookupOutcome, string?)> NameOfAsync(IPAddress address, bool synchronous, CancellationToken ct)
    {
        HostsEntry? entry = sources.Hosts.FindByAddress(address);
        if (entry is not null) return (DnsLookupOutcome.Success, entry.CanonicalName);
        if (sources.ReverseDns is null) return (DnsLookupOutcome.NxDomain, null);
        IPAddress asked = UnmapForReverseLookup(address);
        DnsReverseAnswer answer = synchronous ? sources.ReverseDns.Lookup(asked) : await sources.ReverseDns.LookupAsync(asked, ct);
        if (answer.Outcome == DnsLookupOutcome.Success && answer.Names.Count > 0)
        {
            string name = answer.Names[0];
            return (DnsLookupOutcome.Success, name.EndsWith('.') && name.Length > 1 ? name[..^1] : name);
        }
        return (answer.Outcome == DnsLookupOutcome.Success ? DnsLookupOutcome.NoData : answer.Outcome, null);
    }

    /// <summary>
    /// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, but not ::1) addresses are
    /// asked in in-addr.arpa, as glibc's nss_dns does.
    /// </summary>
    internal static IPAddress UnmapForReverseLookup(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address;
        byte[] b = address.GetAddressBytes();
        for (int i = 0; i < 10; i++) if (b[i] != 0) return address;
        bool mapped = b[10] == 0xFF && b[11] == 0xFF;
        bool compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1);
        return mapped || compatible ? new IPAddress(b.AsSpan(12, 4)) : address;
    }

    /// <summary>
    /// NI_NOFQDN as glibc does it: cut the name at the first place the local domain occurs
    /// right after a dot ("host.example.com" with domain "example.com" gives "host").
    /// </summary>
    internal static string StripLocalDomain(string name, string? localDomain)
    {
        if (string.IsNullOrEmpty(localDomain)) return name;
        int at = name.IndexOf(localDomain, StringComparison.Ordinal);
        return at > 0 && name[at - 1] == '.' ? name[..(at - 1)] : name;
    }

    /// <summary>The numeric form, with "%scope": an interface name for link-local addresses when one exists.</summary>
    private string NumericHost(IPAddress address)
    {
        string text = InetAddressText.Format(address);
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.ScopeId == 0) return text;
        uint scope = (uint)address.ScopeId;
        if (address.IsIPv6LinkLocal || ScopeId.IsMulticastLinkLocal(address))
        {
            string? ifName = sources.InterfaceNames.NameOf(scope);
            if (ifName is not null) return text + "%" + ifName;
        }
        return text + "%" + scope.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Service(int port, NameInfoFlags flags)
    {
        if (!flags.HasFlag(NameInfoFlags.NumericServ))
        {
            ServiceEntry? entry = sources.Services.FindByPort(port, flags.HasFlag(NameInfoFlags.Dgram) ? "udp" : "tcp");
            if (entry is not null) return entry.Name;
        }
        return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
