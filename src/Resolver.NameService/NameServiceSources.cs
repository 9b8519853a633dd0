using System.Net;
using System.Net.NetworkInformation;

namespace Resolver.NameService;

/// <summary>Which address families this machine has configured, for AI_ADDRCONFIG.</summary>
public interface IInterfaceFamilies
{
    /// <summary>
    /// Whether any interface has an IPv4 address other than 127.0.0.1, and an IPv6 address other
    /// than ::1 (glibc's __check_pf counts exactly those; link-local IPv6 counts).
    /// </summary>
    (bool HasIPv4, bool HasIPv6) Current();
}

/// <summary>The interfaces of this machine, read through System.Net.NetworkInformation.</summary>
public sealed class SystemInterfaceFamilies : IInterfaceFamilies
{
    public (bool HasIPv4, bool HasIPv6) Current()
    {
        bool v4 = false, v6 = false;
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (UnicastIPAddressInformation u in nic.GetIPProperties().UnicastAddresses)
            {
                if (u.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                    v4 |= !u.Address.Equals(IPAddress.Loopback);
                else if (u.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                    v6 |= !new IPAddress(u.Address.GetAddressBytes()).Equals(IPAddress.IPv6Loopback);
            }
        }
        return (v4, v6);
    }
}

/// <summary>
/// Everything getaddrinfo/getnameinfo read besides their arguments: the databases (as
/// "hosts: files dns" in nsswitch.conf: the hosts file first, then DNS), resolv.conf, and the
/// machine facts. Tests build one by hand; programs use <see cref="FromSystem"/>.
/// </summary>
public sealed record NameServiceSources
{
    public HostsFile Hosts { get; init; } = HostsFile.Empty;
    public ServicesFile Services { get; init; } = ServicesFile.Empty;
    public ResolvConf ResolvConf { get; init; } = ResolvConf.Default;

    /// <summary>Forward DNS; null means the hosts file is the only source.</summary>
    public IDnsHostLookup? Dns { get; init; }

    /// <summary>Reverse DNS; null means the hosts file is the only source.</summary>
    public IDnsReverseLookup? ReverseDns { get; init; }

    public IInterfaceFamilies InterfaceFamilies { get; init; } = new SystemInterfaceFamilies();
    public IInterfaceNames InterfaceNames { get; init; } = new SystemInterfaceNames();
    public SourceAddressSelector SourceAddressFor { get; init; } = DestinationAddressSorter.SystemSourceAddress;

    /// <summary>The local domain NI_NOFQDN strips; null strips nothing.</summary>
    public string? LocalDomain { get; init; }

    /// <summary>
    /// <see cref="FromSystem"/> with DNS answered by a <see cref="StubResolver"/> over the
    /// resolv.conf read (forward and reverse), as a C program on this machine would resolve.
    /// </summary>
    /// <param name="nameservers">Servers to ask instead of resolv.conf's (any port); null keeps the file's.</param>
    /// <param name="exchange">How to ask one server; by default a new <see cref="Resolver.Client.DnsExchange"/>.</param>
    public static NameServiceSources FromSystemWithDns(
        IReadOnlyList<IPEndPoint>? nameservers = null, Resolver.Client.IDnsExchange? exchange = null,
        string hostsPath = "/etc/hosts", string servicesPath = "/etc/services", string resolvConfPath = "/etc/resolv.conf")
    {
        NameServiceSources sources = FromSystem(null, null, hostsPath, servicesPath, resolvConfPath);
        return sources.WithStubResolver(nameservers, exchange);
    }

    /// <summary>These sources with DNS through a <see cref="StubResolver"/> over <see cref="ResolvConf"/>.</summary>
    /// <param name="nameservers">Servers to ask instead of the configured ones; null keeps them.</param>
    public NameServiceSources WithStubResolver(IReadOnlyList<IPEndPoint>? nameservers = null, Resolver.Client.IDnsExchange? exchange = null)
    {
        ResolvConf conf = nameservers is { Count: > 0 } ? ResolvConf with { Nameservers = nameservers } : ResolvConf;
        var stub = new StubResolver(conf, exchange);
        return this with { ResolvConf = conf, Dns = stub, ReverseDns = stub };
    }

    /// <summary>
    /// The system's files (paths overridable), the machine's interfaces, and this host's domain
    /// from its name (the part after the first dot, as glibc derives it).
    /// LOCALDOMAIN and RES_OPTIONS from the environment are applied as glibc applies them.
    /// </summary>
    public static NameServiceSources FromSystem(
        IDnsHostLookup? dns, IDnsReverseLookup? reverseDns,
        string hostsPath = "/etc/hosts", string servicesPath = "/etc/services", string resolvConfPath = "/etc/resolv.conf")
    {
        var interfaces = new SystemInterfaceNames();
        string hostName = Environment.MachineName;
        try { hostName = System.Net.Dns.GetHostName(); } catch (System.Net.Sockets.SocketException) { }
        int dot = hostName.IndexOf('.');
        return new NameServiceSources
        {
            Hosts = HostsFile.Load(hostsPath, interfaces),
            Services = ServicesFile.Load(servicesPath),
            ResolvConf = ResolvConf.Load(resolvConfPath, hostName, interfaces)
                .WithEnvironment(Environment.GetEnvironmentVariable("LOCALDOMAIN"), Environment.GetEnvironmentVariable("RES_OPTIONS")),
            Dns = dns,
            ReverseDns = reverseDns,
            InterfaceNames = interfaces,
            LocalDomain = dot >= 0 && dot < hostName.Length - 1 ? hostName[(dot + 1)..] : null,
        };
    }
}
