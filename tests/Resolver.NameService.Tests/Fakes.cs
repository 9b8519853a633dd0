using System.Collections.Concurrent;
using System.Net;

namespace Resolver.NameService.Tests;

/// <summary>A scripted DNS: answers by (absolute name, type); anything else is NXDOMAIN. Records every question.</summary>
internal sealed class FakeDns : IDnsHostLookup, IDnsReverseLookup
{
    private readonly Dictionary<(string, DnsQueryType), DnsHostAnswer> _answers = new();
    private readonly Dictionary<string, DnsReverseAnswer> _reverse = new();
    public ConcurrentQueue<string> Asked { get; } = new();

    public FakeDns Add(string absoluteName, DnsQueryType type, params string[] addresses)
    {
        var list = new List<IPAddress>();
        foreach (string a in addresses) list.Add(IPAddress.Parse(a));
        _answers[(absoluteName, type)] = new DnsHostAnswer(DnsLookupOutcome.Success, list, null);
        return this;
    }

    public FakeDns Set(string absoluteName, DnsQueryType type, DnsHostAnswer answer)
    {
        _answers[(absoluteName, type)] = answer;
        return this;
    }

    public FakeDns Set(string absoluteName, DnsLookupOutcome outcome) =>
        Set(absoluteName, DnsQueryType.A, DnsHostAnswer.Of(outcome)).Set(absoluteName, DnsQueryType.Aaaa, DnsHostAnswer.Of(outcome));

    public FakeDns AddPtr(string address, params string[] names)
    {
        _reverse[address] = new DnsReverseAnswer(DnsLookupOutcome.Success, names);
        return this;
    }

    public FakeDns SetPtr(string address, DnsLookupOutcome outcome)
    {
        _reverse[address] = DnsReverseAnswer.Of(outcome);
        return this;
    }

    public DnsHostAnswer Lookup(string absoluteName, DnsQueryType type)
    {
        Asked.Enqueue($"{absoluteName} {type}");
        return _answers.TryGetValue((absoluteName, type), out DnsHostAnswer? a) ? a : DnsHostAnswer.Of(DnsLookupOutcome.NxDomain);
    }

    public async ValueTask<DnsHostAnswer> LookupAsync(string absoluteName, DnsQueryType type, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return Lookup(absoluteName, type);
    }

    public DnsReverseAnswer Lookup(IPAddress address)
    {
        string key = address.ToString();
        Asked.Enqueue($"PTR {key}");
        return _reverse.TryGetValue(key, out DnsReverseAnswer? a) ? a : DnsReverseAnswer.Of(DnsLookupOutcome.NxDomain);
    }

    public async ValueTask<DnsReverseAnswer> LookupAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return Lookup(address);
    }
}

internal sealed class FakeInterfaces(bool hasIPv4 = true, bool hasIPv6 = true) : IInterfaceFamilies, IInterfaceNames
{
    public (bool HasIPv4, bool HasIPv6) Current() => (hasIPv4, hasIPv6);

    public uint IndexOf(string name) => name switch { "lo" => 1, "eth0" => 2, _ => 0 };

    public string? NameOf(uint index) => index switch { 1 => "lo", 2 => "eth0", _ => null };
}

internal static class TestData
{
    public const string Services = """
        # Network services
        tcpmux      1/tcp
        echo        7/tcp
        echo        7/udp
        ssh         22/tcp          # SSH Remote Login Protocol
        domain      53/tcp
        domain      53/udp
        http        80/tcp          www     # WorldWideWeb HTTP
        ntp         123/udp
        shell       514/tcp         cmd
        syslog      514/udp
        sctponly    9999/sctp
        """;

    public const string Hosts = """
        127.0.0.1   localhost
        127.0.1.1   box.example.com box
        ::1         localhost ip6-localhost ip6-loopback
        192.0.2.10  www.example.com www  # web
        192.0.2.11  www.example.com
        2001:db8::10 www.example.com
        2001:db8::20 only6.example.com only6
        """;

    /// <summary>Sources with no system dependencies: fake interfaces, every destination usable from a source of its own family.</summary>
    public static NameServiceSources Sources(FakeDns? dns = null, string hosts = Hosts, string resolvConf = "search example.com\n")
    {
        var interfaces = new FakeInterfaces();
        return new NameServiceSources
        {
            Hosts = HostsFile.Parse(hosts, interfaces),
            Services = ServicesFile.Parse(Services),
            ResolvConf = ResolvConf.Parse(resolvConf),
            Dns = dns,
            ReverseDns = dns,
            InterfaceFamilies = interfaces,
            InterfaceNames = interfaces,
            SourceAddressFor = SameFamilySource,
        };
    }

    /// <summary>A source address like a dual-stack host with global addresses would pick.</summary>
    public static IPAddress? SameFamilySource(IPAddress destination)
    {
        if (IPAddress.IsLoopback(destination)) return destination;
        return destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? IPAddress.Parse("192.0.2.200")
            : IPAddress.Parse("2001:db8::200");
    }
}
