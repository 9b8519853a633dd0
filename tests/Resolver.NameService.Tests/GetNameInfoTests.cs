using System.Net;

namespace Resolver.NameService.Tests;

public class GetNameInfoTests
{
    private FakeDns _dns = null!;
    private GetNameInfo _gni = null!;

    [SetUp]
    public void SetUp()
    {
        _dns = new FakeDns()
            .AddPtr("192.0.2.50", "host50.example.com.", "other50.example.com.")
            .AddPtr("2001:db8::50", "v6host.example.net.")
            .SetPtr("192.0.2.66", DnsLookupOutcome.TryAgain)
            .SetPtr("192.0.2.67", DnsLookupOutcome.ServerFailure);
        _gni = new GetNameInfo(TestData.Sources(_dns) with { LocalDomain = "example.com" });
    }

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [Test]
    public void Host_names_come_from_the_hosts_file_before_dns()
    {
        NameInfoResult r = _gni.Resolve(Ep("127.0.1.1", 22));
        Assert.That((r.Error, r.Host, r.Service), Is.EqualTo((AddrInfoError.Success, "box.example.com", "ssh")));
        Assert.That(_dns.Asked, Is.Empty);
    }

    [Test]
    public void Reverse_dns_gives_the_first_ptr_name_without_the_trailing_dot()
    {
        Assert.That(_gni.Resolve(Ep("192.0.2.50", 80)).Host, Is.EqualTo("host50.example.com"));
        Assert.That(_gni.Resolve(Ep("2001:db8::50", 80)).Host, Is.EqualTo("v6host.example.net"));
    }

    [Test]
    public void Ipv4_mapped_addresses_are_looked_up_as_ipv4()
    {
        Assert.That(_gni.Resolve(Ep("::ffff:192.0.2.50", 80)).Host, Is.EqualTo("host50.example.com"));
        Assert.That(_dns.Asked, Is.EqualTo(new[] { "PTR 192.0.2.50" }));
    }

    [Test]
    public void Numeric_flags_skip_the_lookups()
    {
        NameInfoResult r = _gni.Resolve(Ep("192.0.2.50", 22), NameInfoFlags.NumericHost | NameInfoFlags.NumericServ);
        Assert.That((r.Host, r.Service), Is.EqualTo(("192.0.2.50", "22")));
        Assert.That(_dns.Asked, Is.Empty);
    }

    [Test]
    public void Services_are_tcp_unless_ni_dgram_and_unknown_ports_are_numeric()
    {
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 514), NameInfoFlags.NumericHost).Service, Is.EqualTo("shell"));
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 514), NameInfoFlags.NumericHost | NameInfoFlags.Dgram).Service, Is.EqualTo("syslog"));
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 22), NameInfoFlags.NumericHost | NameInfoFlags.Dgram).Service, Is.EqualTo("22"));
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 4242), NameInfoFlags.NumericHost).Service, Is.EqualTo("4242"));
    }

    [Test]
    public void An_address_without_a_name_is_numeric_unless_ni_namereqd()
    {
        Assert.That(_gni.Resolve(Ep("192.0.2.99", 80)).Host, Is.EqualTo("192.0.2.99"));
        Assert.That(_gni.Resolve(Ep("192.0.2.99", 80), NameInfoFlags.NameReqd).Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(_gni.Resolve(Ep("192.0.2.50", 80), NameInfoFlags.NameReqd | NameInfoFlags.NumericHost).Error, Is.EqualTo(AddrInfoError.NoName));
    }

    [TestCase("192.0.2.66")]
    [TestCase("192.0.2.67")]
    public void A_reverse_lookup_that_could_not_complete_is_eai_again(string address) =>
        Assert.That(_gni.Resolve(Ep(address, 80)).Error, Is.EqualTo(AddrInfoError.Again));

    [Test]
    public void Ni_nofqdn_strips_only_the_local_domain()
    {
        Assert.That(_gni.Resolve(Ep("192.0.2.50", 80), NameInfoFlags.NoFqdn).Host, Is.EqualTo("host50"));
        Assert.That(_gni.Resolve(Ep("2001:db8::50", 80), NameInfoFlags.NoFqdn).Host, Is.EqualTo("v6host.example.net"));
    }

    [TestCase("fe80::1%2", "fe80::1%eth0")]
    [TestCase("fe80::1%9", "fe80::1%9")]
    [TestCase("ff02::1%1", "ff02::1%lo")]
    [TestCase("2001:db8::1%2", "2001:db8::1%2")]
    [TestCase("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void Numeric_ipv6_hosts_carry_their_scope(string address, string expected) =>
        Assert.That(_gni.Resolve(Ep(address, 80), NameInfoFlags.NumericHost).Host, Is.EqualTo(expected));

    [Test]
    public void Argument_errors_follow_glibc()
    {
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 80), (NameInfoFlags)0x100).Error, Is.EqualTo(AddrInfoError.BadFlags));
        Assert.That(_gni.Resolve(Ep("192.0.2.1", 80), NameInfoFlags.NameReqd, wantHost: false, wantService: false).Error, Is.EqualTo(AddrInfoError.NoName));
        NameInfoResult serviceOnly = _gni.Resolve(Ep("192.0.2.50", 22), wantHost: false);
        Assert.That((serviceOnly.Host, serviceOnly.Service), Is.EqualTo(((string?)null, "ssh")));
        Assert.That(_dns.Asked, Is.Empty);
    }

    [Test]
    public async Task The_async_form_gives_the_same_answer()
    {
        NameInfoResult r = await _gni.ResolveAsync(Ep("192.0.2.50", 53), NameInfoFlags.Dgram);
        Assert.That((r.Host, r.Service), Is.EqualTo(("host50.example.com", "domain")));
    }
}
