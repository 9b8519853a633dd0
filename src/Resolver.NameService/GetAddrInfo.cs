using System.Net;

namespace Resolver.NameService;

/// <summary>
/// getaddrinfo(3) with glibc's semantics, over the hosts file, the services file and DNS
/// (<see cref="IDnsHostLookup"/>). Results are ordered by RFC 6724 destination address selection.
/// </summary>
public sealed class GetAddrInfo
{
    // glibc also accepts its two deprecated IDN bits.
    private const AddrInfoFlags KnownFlags = AddrInfoFlags.Passive | AddrInfoFlags.CanonName | AddrInfoFlags.NumericHost
        | AddrInfoFlags.AddrConfig | AddrInfoFlags.V4Mapped | AddrInfoFlags.Idn | AddrInfoFlags.CanonIdn
        | AddrInfoFlags.NumericServ | AddrInfoFlags.All | (AddrInfoFlags)0x300;

    private readonly NameServiceSources _sources;
    private readonly IHostSource[] _hostSources;

    public GetAddrInfo(NameServiceSources sources)
    {
        _sources = sources;
        _hostSources = sources.Dns is null
            ? new IHostSource[] { new HostsFileSource(sources.Hosts) }
            : new IHostSource[] { new HostsFileSource(sources.Hosts), new DnsSource(sources.Dns, sources.ResolvConf) };
    }

    /// <summary>getaddrinfo(node, service, hints), blocking.</summary>
    public AddrInfoResult Resolve(string? node, string? service, AddrInfoHints hints = default) =>
        ResolveCoreAsync(node, service, hints, synchronous: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>getaddrinfo(node, service, hints); A and AAAA are asked in parallel.</summary>
    public ValueTask<AddrInfoResult> ResolveAsync(string? node, string? service, AddrInfoHints hints = default, CancellationToken cancellationToken = default) =>
        ResolveCoreAsync(node, service, hints, synchronous: false, cancellationToken);

    private async ValueTask<AddrInfoResult> ResolveCoreAsync(string? node, string? service, AddrInfoHints hints, bool synchronous, CancellationToken ct)
    {
        // glibc treats "*" as no node / no service.
        if (node == "*") node = null;
        if (service == "*") service = null;
        AddrInfoError error = Validate(node, service, ref hints);
        if (error != AddrInfoError.Success) return AddrInfoResult.Failed(error);

        (error, string? serviceName, int? port) = ParseService(service, hints);
        if (error != AddrInfoError.Success) return AddrInfoResult.Failed(error);
        (error, List<ServiceTuple> tuples) = ServiceTuples.Resolve(serviceName, port, hints, _sources.Services);
        if (error != AddrInfoError.Success) return AddrInfoResult.Failed(error);

        List<IPAddress> addresses;
        string? canonical = null;
        if (node is null) addresses = DefaultAddresses(hints);
        else if (NumericHost.TryParse(node, hints, _sources.InterfaceNames) is var (numericError, numeric))
        {
            if (numericError != AddrInfoError.Success) return AddrInfoResult.Failed(numericError);
            addresses = new List<IPAddress> { numeric! };
            canonical = node;
        }
        else if (hints.Flags.HasFlag(AddrInfoFlags.NumericHost)) return AddrInfoResult.Failed(AddrInfoError.NoName);
        else
        {
            (error, addresses, canonical) = await HostNameLookup.LookupAsync(_hostSources, node, hints, synchronous, ct);
            if (error != AddrInfoError.Success) return AddrInfoResult.Failed(error);
            canonical ??= node;
        }
        return new AddrInfoResult(AddrInfoError.Success, Build(addresses, tuples, hints.Flags.HasFlag(AddrInfoFlags.CanonName) ? canonical : null));
    }

    /// <summary>The argument checks glibc's getaddrinfo makes before any lookup, in its order.</summary>
    private AddrInfoError Validate(string? node, string? service, ref AddrInfoHints hints)
    {
        if (node is null && service is null) return AddrInfoError.NoName;
        if ((hints.Flags & ~KnownFlags) != 0) return AddrInfoError.BadFlags;
        if (hints.Flags.HasFlag(AddrInfoFlags.CanonName) && node is null) return AddrInfoError.BadFlags;
        if (hints.Family is not (AddrFamily.Unspec or AddrFamily.Inet or AddrFamily.Inet6)) return AddrInfoError.Family;
        if (hints.Flags.HasFlag(AddrInfoFlags.AddrConfig))
        {
            // RFC 3493 §6.1: only families the machine has a (non-loopback) address for.
            (bool v4, bool v6) = _sources.InterfaceFamilies.Current();
            if (hints.Family == AddrFamily.Unspec && (v4 || v6))
            {
                if (v4 != v6) hints = hints with { Family = v4 ? AddrFamily.Inet : AddrFamily.Inet6 };
            }
            else if ((hints.Family == AddrFamily.Inet && !v4) || (hints.Family == AddrFamily.Inet6 && !v6))
                return AddrInfoError.NoName;
        }
        return AddrInfoError.Success;
    }

    /// <summary>
    /// A service is a port number when C's strtoul(service, &amp;end, 10) reads all of it (blanks
    /// and a sign allowed, "-1" included); glibc keeps the value in an int, so the port is its low
    /// 16 bits, and a value that is negative as an int is looked up by name instead, even with
    /// AI_NUMERICSERV (glibc's gaih_service.num &lt; 0). Anything else is a name, which
    /// AI_NUMERICSERV refuses with EAI_NONAME. An empty service is no service.
    /// </summary>
    private static (AddrInfoError, string?, int?) ParseService(string? service, AddrInfoHints hints)
    {
        if (string.IsNullOrEmpty(service)) return (AddrInfoError.Success, null, null);
        if (!TryStrtoul(service, out ulong value))
            return hints.Flags.HasFlag(AddrInfoFlags.NumericServ)
                ? (AddrInfoError.NoName, null, null)
                : (AddrInfoError.Success, service, null);
        int number = unchecked((int)value);
        return number < 0 ? (AddrInfoError.Success, service, null) : (AddrInfoError.Success, null, number & 0xFFFF);
    }

    /// <summary>strtoul(text, &amp;end, 10) with *end == '\0': ULONG_MAX on overflow, "-n" as 2^64 - n.</summary>
    internal static bool TryStrtoul(string text, out ulong value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';
        int digits = i;
        bool overflow = false;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            ulong d = (ulong)(text[i] - '0');
            if (value > (ulong.MaxValue - d) / 10) overflow = true;
            else value = value * 10 + d;
        }
        if (i == digits || i != text.Length) return false;
        value = overflow ? ulong.MaxValue : negative ? unchecked(0UL - value) : value;
        return true;
    }

    /// <summary>No node: the wildcard with AI_PASSIVE (for bind), else loopback; IPv6 first.</summary>
    private static List<IPAddress> DefaultAddresses(AddrInfoHints hints)
    {
        bool passive = hints.Flags.HasFlag(AddrInfoFlags.Passive);
        var list = new List<IPAddress>(2);
        if (hints.Family is AddrFamily.Unspec or AddrFamily.Inet6) list.Add(passive ? IPAddress.IPv6Any : IPAddress.IPv6Loopback);
        if (hints.Family is AddrFamily.Unspec or AddrFamily.Inet) list.Add(passive ? IPAddress.Any : IPAddress.Loopback);
        return list;
    }

    private List<AddrInfo> Build(List<IPAddress> addresses, List<ServiceTuple> tuples, string? canonical)
    {
        var entries = new List<AddrInfo>(addresses.Count * tuples.Count);
        foreach (IPAddress address in addresses)
        {
            AddrFamily family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddrFamily.Inet : AddrFamily.Inet6;
            foreach (ServiceTuple t in tuples)
                entries.Add(new AddrInfo(family, t.SockType, t.Protocol, new IPEndPoint(address, t.Port), null));
        }
        if (addresses.Count > 1)
            entries = DestinationAddressSorter.Sort(entries, e => e.EndPoint.Address, _sources.SourceAddressFor);
        // glibc puts the canonical name on whichever entry is first after sorting.
        if (canonical is not null && entries.Count > 0) entries[0] = entries[0] with { CanonicalName = canonical };
        return entries;
    }
}
