using System.Net;

namespace Resolver.NameService.Tests;

/// <summary>Names: the hosts file first, then DNS through the search list, and how failures map to EAI codes.</summary>
public class GetAddrInfoLookupTests
{
    private static readonly AddrInfoHints Stream = new(SockType: SockType.Stream);
    private static readonly AddrInfoHints StreamCanon = new(AddrInfoFlags.CanonName, SockType: SockType.Stream);

    private static string[] Addresses(AddrInfoResult r) => r.Entries.Select(e => e.EndPoint.Address.ToString()).ToArray();

    [Test]
    public void A_name_in_the_hosts_file_never_reaches_dns()
    {
        var dns = new FakeDns().Add("www.example.com.", DnsQueryType.A, "198.51.100.1");
        AddrInfoResult r = new GetAddrInfo(TestData.Sources(dns)).Resolve("WWW.example.com", "80", StreamCanon);
        Assert.That(Addresses(r), Is.EqualTo(new[] { "2001:db8::10", "192.0.2.10", "192.0.2.11" }));
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("www.example.com"));
        Assert.That(r.Entries.Skip(1).Select(e => e.CanonicalName), Is.All.Null, "only the first entry carries the canonical name");
        Assert.That(dns.Asked, Is.Empty);
    }

    [Test]
    public void Localhost_from_the_hosts_file_sorts_ipv6_loopback_first()
    {
        AddrInfoResult r = new GetAddrInfo(TestData.Sources()).Resolve("localhost", null, StreamCanon);
        Assert.That(Addresses(r), Is.EqualTo(new[] { "::1", "127.0.0.1" }));
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("localhost"));
    }

    [Test]
    public void A_hosts_entry_of_another_family_still_answers_for_unspec_but_not_for_that_family()
    {
        var dns = new FakeDns().Add("only6.example.com.", DnsQueryType.A, "198.51.100.6");
        var gai = new GetAddrInfo(TestData.Sources(dns));
        Assert.That(Addresses(gai.Resolve("only6.example.com", "80", Stream)), Is.EqualTo(new[] { "2001:db8::20" }));
        Assert.That(Addresses(gai.Resolve("only6.example.com", "80", Stream with { Family = AddrFamily.Inet })), Is.EqualTo(new[] { "198.51.100.6" }));
    }

    [Test]
    public void Unspec_asks_a_and_aaaa_for_each_search_candidate_and_sorts_ipv6_first()
    {
        var dns = new FakeDns()
            .Add("mail.example.com.", DnsQueryType.A, "198.51.100.25")
            .Add("mail.example.com.", DnsQueryType.Aaaa, "2001:db8::25");
        AddrInfoResult r = new GetAddrInfo(TestData.Sources(dns)).Resolve("mail", "25", StreamCanon);
        Assert.That(Addresses(r), Is.EqualTo(new[] { "2001:db8::25", "198.51.100.25" }));
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("mail.example.com"), "the qualified name when DNS gives no CNAME target");
        Assert.That(dns.Asked, Is.EquivalentTo(new[] { "mail.example.com. A", "mail.example.com. Aaaa" }));
    }

    [Test]
    public void The_canonical_name_is_the_end_of_the_cname_chain()
    {
        var dns = new FakeDns().Set("alias.example.com.", DnsQueryType.A,
            new DnsHostAnswer(DnsLookupOutcome.Success, new[] { IPAddress.Parse("198.51.100.7") }, "target.example.net."));
        AddrInfoResult r = new GetAddrInfo(TestData.Sources(dns)).Resolve("alias.example.com", "80", StreamCanon);
        Assert.That(r.Entries.Single().CanonicalName, Is.EqualTo("target.example.net"));
    }

    [Test]
    public void Af_inet_asks_only_a_records()
    {
        var dns = new FakeDns().Add("v4.example.org.", DnsQueryType.A, "198.51.100.4");
        AddrInfoResult r = new GetAddrInfo(TestData.Sources(dns)).Resolve("v4.example.org", "80", Stream with { Family = AddrFamily.Inet });
        Assert.That(Addresses(r), Is.EqualTo(new[] { "198.51.100.4" }));
        Assert.That(dns.Asked, Is.EqualTo(new[] { "v4.example.org. A" }));
    }

    [Test]
    public void V4mapped_asks_for_a_records_only_when_there_is_no_aaaa()
    {
        var dns = new FakeDns().Add("v4.example.org.", DnsQueryType.A, "198.51.100.4")
            .Set("v4.example.org.", DnsQueryType.Aaaa, DnsHostAnswer.Of(DnsLookupOutcome.NoData))
            .Add("dual.example.org.", DnsQueryType.A, "198.51.100.5").Add("dual.example.org.", DnsQueryType.Aaaa, "2001:db8::5");
        var gai = new GetAddrInfo(TestData.Sources(dns));
        var hints = new AddrInfoHints(AddrInfoFlags.V4Mapped, AddrFamily.Inet6, SockType.Stream);
        Assert.That(Addresses(gai.Resolve("v4.example.org", "80", hints)), Is.EqualTo(new[] { "::ffff:198.51.100.4" }));
        Assert.That(gai.Resolve("v4.example.org", "80", hints).Entries.Single().Family, Is.EqualTo(AddrFamily.Inet6));
        Assert.That(Addresses(gai.Resolve("dual.example.org", "80", hints)), Is.EqualTo(new[] { "2001:db8::5" }));
        Assert.That(Addresses(gai.Resolve("dual.example.org", "80", hints with { Flags = AddrInfoFlags.V4Mapped | AddrInfoFlags.All })),
            Is.EqualTo(new[] { "2001:db8::5", "::ffff:198.51.100.5" }));
        Assert.That(gai.Resolve("v4.example.org", "80", hints with { Flags = AddrInfoFlags.None }).Error, Is.EqualTo(AddrInfoError.NoData));
    }

    [Test]
    public void Addrconfig_on_an_ipv4_only_machine_never_asks_aaaa()
    {
        var dns = new FakeDns().Add("dual.example.org.", DnsQueryType.A, "198.51.100.5").Add("dual.example.org.", DnsQueryType.Aaaa, "2001:db8::5");
        var gai = new GetAddrInfo(TestData.Sources(dns) with { InterfaceFamilies = new FakeInterfaces(true, false) });
        Assert.That(Addresses(gai.Resolve("dual.example.org", "80", Stream with { Flags = AddrInfoFlags.AddrConfig })), Is.EqualTo(new[] { "198.51.100.5" }));
        Assert.That(dns.Asked, Is.EqualTo(new[] { "dual.example.org. A" }));
    }

    [TestCase(DnsLookupOutcome.NxDomain, AddrInfoError.NoName)]
    [TestCase(DnsLookupOutcome.NoData, AddrInfoError.NoData)]
    [TestCase(DnsLookupOutcome.TryAgain, AddrInfoError.Again)]
    [TestCase(DnsLookupOutcome.ServerFailure, AddrInfoError.Again)]
    [TestCase(DnsLookupOutcome.Fail, AddrInfoError.NoName)]
    public void Dns_failures_map_to_glibcs_eai_codes(DnsLookupOutcome outcome, AddrInfoError expected)
    {
        var dns = new FakeDns().Set("broken.example.org.", outcome);
        var gai = new GetAddrInfo(TestData.Sources(dns, resolvConf: ""));
        Assert.That(gai.Resolve("broken.example.org", "80", Stream).Error, Is.EqualTo(expected), "AF_UNSPEC");
        Assert.That(gai.Resolve("broken.example.org", "80", Stream with { Family = AddrFamily.Inet }).Error, Is.EqualTo(expected), "AF_INET");
    }

    [Test]
    public void A_name_with_only_another_type_under_a_search_domain_is_eai_nodata()
    {
        var dns = new FakeDns().Set("mx.example.com.", DnsLookupOutcome.NoData);
        Assert.That(new GetAddrInfo(TestData.Sources(dns)).Resolve("mx", "25", Stream).Error, Is.EqualTo(AddrInfoError.NoData));
        Assert.That(dns.Asked.Count, Is.EqualTo(4), "mx.example.com. and mx. each asked A and AAAA");
    }

    [Test]
    public void One_family_timing_out_while_the_other_answers_still_succeeds()
    {
        var dns = new FakeDns().Add("half.example.org.", DnsQueryType.A, "198.51.100.9")
            .Set("half.example.org.", DnsQueryType.Aaaa, DnsHostAnswer.Of(DnsLookupOutcome.TryAgain));
        Assert.That(Addresses(new GetAddrInfo(TestData.Sources(dns)).Resolve("half.example.org", "80", Stream)), Is.EqualTo(new[] { "198.51.100.9" }));
    }

    [Test]
    public void Without_dns_an_unknown_name_is_eai_noname() =>
        Assert.That(new GetAddrInfo(TestData.Sources()).Resolve("nowhere.invalid", "80").Error, Is.EqualTo(AddrInfoError.NoName));

    [Test]
    public async Task The_async_form_gives_the_same_answer_and_asks_both_types()
    {
        var dns = new FakeDns().Add("mail.example.com.", DnsQueryType.A, "198.51.100.25").Add("mail.example.com.", DnsQueryType.Aaaa, "2001:db8::25");
        var gai = new GetAddrInfo(TestData.Sources(dns));
        AddrInfoResult r = await gai.ResolveAsync("mail.example.com", "smtp-not-listed", Stream);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.Service), "service errors come before any lookup");
        Assert.That(dns.Asked, Is.Empty);

        r = await gai.ResolveAsync("mail.example.com", "25", StreamCanon);
        Assert.That(Addresses(r), Is.EqualTo(Addresses(gai.Resolve("mail.example.com", "25", StreamCanon))));
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("mail.example.com"));
    }
}
