using System.Net;

namespace Resolver.NameService.Tests.Glibc;

/// <summary>
/// Our getaddrinfo / getnameinfo / gai_strerror against glibc's, called in the same process over
/// the same machine: /etc/hosts, /etc/services, the real interfaces (AI_ADDRCONFIG, RFC 6724
/// sorting). Only inputs glibc answers without DNS are used (numeric, hosts-file names of a
/// family the file has): our DNS fails the test if asked, and glibc's resolver is made unable
/// to send (see <see cref="Libc"/>). Every field and the order must agree, and the error codes.
/// </summary>
[Category("GlibcInterop")]
[NonParallelizable]
public class GlibcDifferentialTests
{
    private const int Passive = 0x1, CanonName = 0x2, NumericHostFlag = 0x4, V4Mapped = 0x8, All = 0x10, AddrConfig = 0x20, NumericServ = 0x400;
    private static readonly int[] FlagBits = [Passive, CanonName, NumericHostFlag, V4Mapped, All, AddrConfig, NumericServ];
    private static readonly int[] Families = [0, 2, 10];

    private static readonly string[] Literals =
        ["127.0.0.1", "127.1", "0x7f.1", "0177.0.0.1", "10", "1.2.3", "::1", "::", "::ffff:127.0.0.1", "::ffff:1.2.3.4", "2001:db8::1",
         "fe80::1%lo", "fe80::1%1", "fe80::1%nosuchif", "::1%1", "ff02::1%lo", "1.2.3.256", "::1::"];

    private ForbiddenDns _dns = null!;
    private NameServiceSources _sources = null!;
    private GetAddrInfo _gai = null!;

    [SetUp]
    public void SetUp()
    {
        if (!Libc.IsSupported) Assert.Ignore("glibc differential tests need Linux x86_64 with glibc");
        _dns = new ForbiddenDns();
        _sources = NameServiceSources.FromSystem(_dns, _dns);
        _gai = new GetAddrInfo(_sources);
    }

    /// <summary>Names of this machine's hosts file; read at run time.</summary>
    private List<string> HostsFileNames()
    {
        var names = new List<string>();
        foreach (HostsEntry e in _sources.Hosts.Entries)
        {
            names.Add(e.CanonicalName);
            names.AddRange(e.Aliases);
        }
        return names.Distinct().Take(5).ToList();
    }

    [Test]
    public void Every_flag_combination_over_numeric_and_hosts_file_nodes_agrees_with_glibc()
    {
        var failures = new List<string>();
        int compared = 0;
        List<string?> nodes = [null, .. Literals, .. HostsFileNames()];
        for (int combo = 0; combo < 1 << FlagBits.Length; combo++)
        {
            int flags = 0;
            for (int b = 0; b < FlagBits.Length; b++) if ((combo & (1 << b)) != 0) flags |= FlagBits[b];
            foreach (string? node in nodes)
                foreach (int family in Families)
                {
                    if (node is not null && WouldAskDns(node, flags, family)) continue;
                    foreach (string? service in (string?[])[null, "http"])
                        compared += Compare(node, service, flags, family, 0, 0, failures);
                }
        }
        Report(failures, compared, minimum: 5000);
    }

    [Test]
    public void Services_socket_types_and_protocols_agree_with_glibc()
    {
        var failures = new List<string>();
        int compared = 0;
        string?[] services = [null, "", "http", "www", "domain", "syslog", "ssh", "ntp", "80", "0", "65535", "65536", "-1", "8o", "nosuchservice"];
        int[] sockTypes = [0, 1, 2, 3, 5, 6, 99];
        int[] protocols = [0, 6, 17, 33, 132, 136, 99];
        foreach (string? node in (string?[])[null, "127.0.0.1", "::1"])
            foreach (string? service in services)
                foreach (int sockType in sockTypes)
                    foreach (int protocol in protocols)
                        foreach (int flags in (int[])[0, Passive, NumericServ])
                            foreach (int family in (int[])[0, 2])
                                compared += Compare(node, service, flags, family, sockType, protocol, failures);
        Report(failures, compared, minimum: 10_000);
    }

    [Test]
    public void Bad_flags_and_families_are_rejected_with_glibcs_codes()
    {
        var failures = new List<string>();
        int compared = 0;
        foreach (int flags in (int[])[0x40, 0x80, 0x100, 0x200, 0x800, 0x1000, 0x4000, int.MinValue, -1, CanonName])
            foreach (string? node in (string?[])[null, "127.0.0.1"])
                compared += Compare(node, "80", flags, 0, 0, 0, failures);
        foreach (int family in (int[])[1, 3, 17, 99, -1])
            compared += Compare("127.0.0.1", "80", 0, family, 0, 0, failures);
        compared += Compare(null, null, 0, 0, 0, 0, failures);
        compared += Compare("*", "80", 0, 0, 1, 0, failures);
        compared += Compare("127.0.0.1", "*", 0, 0, 1, 0, failures);
        Report(failures, compared, minimum: 20);
    }

    [Test]
    public void Gai_strerror_texts_agree_with_glibc()
    {
        foreach (int code in (int[])[0, 1, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -13, -99, -100, -101, -102, -103, -104, -105, -106, 1000, int.MinValue])
            Assert.That(AddrInfoErrorText.GaiStrError(code), Is.EqualTo(Libc.GaiStrError(code)), $"gai_strerror({code})");
        // EAI_OVERFLOW got its text in later glibc; older ones (Debian 12's 2.36) say "Unknown error". We give the text.
        Assert.That(Libc.GaiStrError(-12), Is.EqualTo("Unknown error").Or.EqualTo(AddrInfoErrorText.GaiStrError(-12)));
    }

    [Test]
    public void Getnameinfo_agrees_with_glibc_for_hosts_file_and_numeric_answers()
    {
        var failures = new List<string>();
        int compared = 0;
        var gni = new GetNameInfo(_sources);
        var linkLocal = IPAddress.Parse("fe80::1");
        linkLocal.ScopeId = 1;
        var scopedGlobal = IPAddress.Parse("2001:db8::1");
        scopedGlobal.ScopeId = 7;
        foreach (int flags in Enumerable.Range(0, 32))
        {
            // NI_NUMERICHOST=1 NI_NUMERICSERV=2 NI_NOFQDN=4 NI_NAMEREQD=8 NI_DGRAM=16
            var addresses = new List<IPAddress> { IPAddress.Loopback };
            if ((flags & 1) != 0) addresses.AddRange([IPAddress.IPv6Loopback, IPAddress.Parse("::ffff:127.0.0.1"), linkLocal, scopedGlobal, IPAddress.Parse("192.0.2.1")]);
            foreach (IPAddress address in addresses)
                foreach (int port in (int[])[0, 22, 53, 80, 514, 12345])
                {
                    var endPoint = new IPEndPoint(address, port);
                    NameInfoResult ours = gni.Resolve(endPoint, (NameInfoFlags)flags);
                    (int error, string? host, string? service) = Libc.GetNameInfo(endPoint, flags);
                    compared++;
                    if ((int)ours.Error != error || ours.Host != host || ours.Service != service)
                        failures.Add($"getnameinfo({endPoint}, 0x{flags:x}): glibc {error} {host} {service}, ours {(int)ours.Error} {ours.Host} {ours.Service}");
                }
        }
        foreach (int flags in (int[])[0x40, 0x80, 0x100, 0x200, -1])
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, 80);
            compared++;
            NameInfoResult ours = gni.Resolve(endPoint, (NameInfoFlags)flags);
            int error = Libc.GetNameInfo(endPoint, flags).Error;
            if ((int)ours.Error != error) failures.Add($"getnameinfo flags 0x{flags:x}: glibc {error}, ours {(int)ours.Error}");
        }
        Report(failures, compared, minimum: 300);
    }

    /// <summary>Runs both; records a difference. Returns 1 (one case compared).</summary>
    private int Compare(string? node, string? service, int flags, int family, int sockType, int protocol, List<string> failures)
    {
        var hints = new AddrInfoHints((AddrInfoFlags)flags, (AddrFamily)family, (SockType)sockType, (IpProtocol)protocol);
        AddrInfoResult ours = _gai.Resolve(node, service, hints);
        (int error, List<AddrInfoRow> rows) = Libc.GetAddrInfo(node, service, flags, family, sockType, protocol);
        List<AddrInfoRow> ourRows = ours.Entries.Select(AddrInfoRow.From).ToList();
        if ((int)ours.Error != error || !ourRows.SequenceEqual(rows))
        {
            failures.Add($"getaddrinfo({Show(node)}, {Show(service)}, flags 0x{flags:x} family {family} socktype {sockType} protocol {protocol}):\n" +
                $"  glibc {error}: {string.Join("; ", rows)}\n  ours  {(int)ours.Error}: {string.Join("; ", ourRows)}");
        }
        return 1;
    }

    private static string Show(string? s) => s is null ? "NULL" : "\"" + s + "\"";

    /// <summary>
    /// Whether glibc would go on to DNS: a name (not a literal, no AI_NUMERICHOST) that the hosts
    /// file lacks for the family asked, after AI_ADDRCONFIG narrows AF_UNSPEC.
    /// </summary>
    private bool WouldAskDns(string node, int flags, int family)
    {
        if ((flags & NumericHostFlag) != 0 || node == "*") return false;
        if (NumericHost.TryParse(node, default, _sources.InterfaceNames) is not null) return false;
        var effective = (AddrFamily)family;
        if ((flags & AddrConfig) != 0 && effective == AddrFamily.Unspec)
        {
            (bool v4, bool v6) = _sources.InterfaceFamilies.Current();
            if (v4 != v6) effective = v4 ? AddrFamily.Inet : AddrFamily.Inet6;
        }
        bool has4 = _sources.Hosts.FindByName(node, AddrFamily.Inet).Count > 0;
        bool has6 = _sources.Hosts.FindByName(node, AddrFamily.Inet6).Count > 0;
        return effective switch
        {
            AddrFamily.Inet => !has4,
            AddrFamily.Inet6 => !(has6 || ((flags & V4Mapped) != 0 && has4)),
            _ => !(has4 || has6),
        };
    }

    private void Report(List<string> failures, int compared, int minimum)
    {
        Assert.That(_dns.Asked, Is.Empty, "numeric and hosts-file inputs reached DNS: " + string.Join(", ", _dns.Asked));
        Assert.That(compared, Is.GreaterThanOrEqualTo(minimum), "the matrix shrank");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {compared} cases differ:\n" + string.Join("\n", failures.Take(25)));
    }

    /// <summary>A DNS that must never be reached here: it records the question and fails the call.</summary>
    private sealed class ForbiddenDns : IDnsHostLookup, IDnsReverseLookup
    {
        public List<string> Asked { get; } = new();

        public DnsHostAnswer Lookup(string absoluteName, DnsQueryType type)
        {
            Asked.Add($"{absoluteName} {type}");
            throw new AssertionException($"DNS asked {absoluteName} {type}: this input must be answered without DNS");
        }

        public ValueTask<DnsHostAnswer> LookupAsync(string absoluteName, DnsQueryType type, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Lookup(absoluteName, type));

        public DnsReverseAnswer Lookup(IPAddress address)
        {
            Asked.Add($"PTR {address}");
            throw new AssertionException($"DNS asked PTR {address}: this input must be answered without DNS");
        }

        public ValueTask<DnsReverseAnswer> LookupAsync(IPAddress address, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Lookup(address));
    }
}
