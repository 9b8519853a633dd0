using System.Net;

namespace Resolver.NameService.Tests;

/// <summary>Argument checks, service resolution and numeric hosts: nothing here may reach DNS.</summary>
public class GetAddrInfoArgumentTests
{
    private FakeDns _dns = null!;
    private GetAddrInfo _gai = null!;

    [SetUp]
    public void SetUp()
    {
        _dns = new FakeDns();
        _gai = new GetAddrInfo(TestData.Sources(_dns));
    }

    [TearDown]
    public void No_dns_traffic() => Assert.That(_dns.Asked, Is.Empty, "these calls must not ask DNS");

    private static string[] Describe(AddrInfoResult r) =>
        r.Entries.Select(e => $"{e.Family} {e.SockType} {(int)e.Protocol} {e.EndPoint}").ToArray();

    [Test]
    public void No_node_and_no_service_is_eai_noname()
    {
        Assert.That(_gai.Resolve(null, null).Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(_gai.Resolve("*", "*").Error, Is.EqualTo(AddrInfoError.NoName), "glibc reads \"*\" as absent");
    }

    [Test]
    public void Bad_flags_are_eai_badflags()
    {
        Assert.That(_gai.Resolve(null, "80", new(AddrInfoFlags.CanonName)).Error, Is.EqualTo(AddrInfoError.BadFlags));
        Assert.That(_gai.Resolve("127.0.0.1", "80", new((AddrInfoFlags)0x800)).Error, Is.EqualTo(AddrInfoError.BadFlags));
    }

    [Test]
    public void Unsupported_family_is_eai_family() =>
        Assert.That(_gai.Resolve("127.0.0.1", null, new(Family: (AddrFamily)1)).Error, Is.EqualTo(AddrInfoError.Family));

    [Test]
    public void Socket_type_and_protocol_checks_follow_glibcs_table()
    {
        Assert.That(_gai.Resolve("127.0.0.1", null, new(SockType: (SockType)99)).Error, Is.EqualTo(AddrInfoError.SockType));
        Assert.That(_gai.Resolve("127.0.0.1", null, new(SockType: SockType.Stream, Protocol: IpProtocol.Udp)).Error, Is.EqualTo(AddrInfoError.SockType));
        Assert.That(_gai.Resolve("127.0.0.1", "80", new(SockType: SockType.Raw)).Error, Is.EqualTo(AddrInfoError.Service));
    }

    [Test]
    public void Raw_socket_takes_the_asked_protocol()
    {
        Assert.That(Describe(_gai.Resolve("127.0.0.1", null, new(SockType: SockType.Raw, Protocol: (IpProtocol)1))),
            Is.EqualTo(new[] { "Inet Raw 1 127.0.0.1:0" }));
        // glibc's table lets SOCK_RAW take any protocol, so an unknown protocol alone picks RAW.
        Assert.That(Describe(_gai.Resolve("127.0.0.1", null, new(Protocol: (IpProtocol)99))),
            Is.EqualTo(new[] { "Inet Raw 99 127.0.0.1:0" }));
        Assert.That(_gai.Resolve("127.0.0.1", "80", new(Protocol: (IpProtocol)99)).Error, Is.EqualTo(AddrInfoError.Service));
    }

    [Test]
    public void Service_names_come_from_the_services_file_per_socket_type()
    {
        Assert.That(Describe(_gai.Resolve("127.0.0.1", "domain")), Is.EqualTo(new[] { "Inet Stream 6 127.0.0.1:53", "Inet Dgram 17 127.0.0.1:53" }));
        Assert.That(Describe(_gai.Resolve("127.0.0.1", "http")), Is.EqualTo(new[] { "Inet Stream 6 127.0.0.1:80" }));
        Assert.That(Describe(_gai.Resolve("127.0.0.1", "domain", new(SockType: SockType.Dgram))), Is.EqualTo(new[] { "Inet Dgram 17 127.0.0.1:53" }));
        Assert.That(Describe(_gai.Resolve("127.0.0.1", "sctponly")),
            Is.EqualTo(new[] { "Inet Stream 132 127.0.0.1:9999", "Inet SeqPacket 132 127.0.0.1:9999" }));
    }

    [Test]
    public void A_service_unknown_for_the_socket_type_is_eai_service()
    {
        Assert.That(_gai.Resolve("127.0.0.1", "ntp", new(SockType: SockType.Stream)).Error, Is.EqualTo(AddrInfoError.Service));
        Assert.That(_gai.Resolve("127.0.0.1", "no-such-service").Error, Is.EqualTo(AddrInfoError.Service));
    }

    [Test]
    public void Numeric_service_gives_one_entry_per_socket_type_including_raw() =>
        Assert.That(Describe(_gai.Resolve("127.0.0.1", "53")),
            Is.EqualTo(new[] { "Inet Stream 6 127.0.0.1:53", "Inet Dgram 17 127.0.0.1:53", "Inet Raw 0 127.0.0.1:53" }));

    [Test]
    public void Numeric_service_wraps_at_16_bits_as_glibcs_htons_does() =>
        Assert.That(_gai.Resolve("127.0.0.1", "70000", new(SockType: SockType.Stream)).Entries.Single().EndPoint.Port, Is.EqualTo(4464));

    [Test]
    public void Ai_numericserv_refuses_service_names() =>
        Assert.That(_gai.Resolve("127.0.0.1", "http", new(AddrInfoFlags.NumericServ)).Error, Is.EqualTo(AddrInfoError.NoName));

    [Test]
    public void No_node_without_passive_is_loopback_and_with_passive_is_the_wildcard()
    {
        var stream = new AddrInfoHints(SockType: SockType.Stream);
        Assert.That(_gai.Resolve(null, "80", stream).Entries.Select(e => e.EndPoint.ToString()), Is.EqualTo(new[] { "[::1]:80", "127.0.0.1:80" }));
        Assert.That(_gai.Resolve(null, "80", stream with { Flags = AddrInfoFlags.Passive }).Entries.Select(e => e.EndPoint.Address.ToString()),
            Is.EquivalentTo(new[] { "::", "0.0.0.0" }));
        Assert.That(_gai.Resolve("*", "80", stream with { Family = AddrFamily.Inet }).Entries.Single().EndPoint.ToString(), Is.EqualTo("127.0.0.1:80"));
    }

    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("127.1", "127.0.0.1")]
    [TestCase("0x7f.0.0.1", "127.0.0.1")]
    [TestCase("2001:DB8::1", "2001:db8::1")]
    public void Numeric_hosts_are_used_as_they_are(string node, string address)
    {
        AddrInfoResult r = _gai.Resolve(node, null, new(AddrInfoFlags.CanonName, SockType: SockType.Stream));
        Assert.That(r.Entries.Single().EndPoint.Address, Is.EqualTo(IPAddress.Parse(address)));
        Assert.That(r.Entries.Single().CanonicalName, Is.EqualTo(node), "the canonical name of a literal is the literal");
    }

    [TestCase("fe80::1%lo", 1)]
    [TestCase("fe80::1%eth0", 2)]
    [TestCase("fe80::1%7", 7)]
    [TestCase("2001:db8::1%3", 3)]
    public void Ipv6_scope_ids_are_read_by_interface_name_or_number(string node, int scope) =>
        Assert.That(_gai.Resolve(node, "80", new(SockType: SockType.Stream)).Entries.Single().EndPoint.Address.ScopeId, Is.EqualTo(scope));

    [Test]
    public void An_unknown_scope_is_eai_noname()
    {
        Assert.That(_gai.Resolve("fe80::1%nosuchif", "80").Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(_gai.Resolve("2001:db8::1%eth0", "80").Error, Is.EqualTo(AddrInfoError.NoName), "names only for link-local");
    }

    [Test]
    public void Ai_numerichost_with_a_name_is_eai_noname() =>
        Assert.That(_gai.Resolve("www.example.com", "80", new(AddrInfoFlags.NumericHost)).Error, Is.EqualTo(AddrInfoError.NoName));

    [Test]
    public void A_literal_of_the_other_family_is_eai_addrfamily_unless_mapping_applies()
    {
        Assert.That(_gai.Resolve("192.0.2.1", "80", new(Family: AddrFamily.Inet6)).Error, Is.EqualTo(AddrInfoError.AddrFamily));
        Assert.That(_gai.Resolve("2001:db8::1", "80", new(Family: AddrFamily.Inet)).Error, Is.EqualTo(AddrInfoError.AddrFamily));
        Assert.That(_gai.Resolve("192.0.2.1", "80", new(AddrInfoFlags.V4Mapped, AddrFamily.Inet6, SockType.Stream)).Entries.Single().EndPoint.ToString(),
            Is.EqualTo("[::ffff:192.0.2.1]:80"));
        Assert.That(_gai.Resolve("::ffff:192.0.2.1", "80", new(Family: AddrFamily.Inet, SockType: SockType.Stream)).Entries.Single().EndPoint.ToString(),
            Is.EqualTo("192.0.2.1:80"));
    }

    [Test]
    public void Ai_addrconfig_drops_families_the_machine_lacks()
    {
        var gai = new GetAddrInfo(TestData.Sources(_dns) with { InterfaceFamilies = new FakeInterfaces(hasIPv4: true, hasIPv6: false) });
        var hints = new AddrInfoHints(AddrInfoFlags.AddrConfig, SockType: SockType.Stream);
        Assert.That(gai.Resolve(null, "80", hints).Entries.Single().EndPoint.ToString(), Is.EqualTo("127.0.0.1:80"));
        Assert.That(gai.Resolve("::1", "80", hints).Error, Is.EqualTo(AddrInfoError.AddrFamily));
        Assert.That(gai.Resolve("::1", "80", hints with { Family = AddrFamily.Inet6 }).Error, Is.EqualTo(AddrInfoError.NoName));
    }

    [Test]
    public void Ai_addrconfig_with_no_addresses_at_all_restricts_nothing()
    {
        var gai = new GetAddrInfo(TestData.Sources(_dns) with { InterfaceFamilies = new FakeInterfaces(false, false) });
        Assert.That(gai.Resolve(null, "80", new(AddrInfoFlags.AddrConfig, SockType: SockType.Stream)).Entries, Has.Count.EqualTo(2));
    }
}
