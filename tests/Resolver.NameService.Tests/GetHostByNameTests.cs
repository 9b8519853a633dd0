using System.Net;

namespace Resolver.NameService.Tests;

public class GetHostByNameTests
{
    [Test]
    public void Hosts_file_lines_for_one_name_merge_into_one_entry()
    {
        var ghbn = new GetHostByName(TestData.Sources(hosts: TestData.Hosts + "\n192.0.2.12 web.example.com www.example.com\n"));
        HostEntryResult r = ghbn.ByName("WWW.example.com", AddrFamily.Inet);
        Assert.That(r.Entry!.Name, Is.EqualTo("www.example.com"));
        Assert.That(r.Entry.Addresses.Select(a => a.ToString()), Is.EqualTo(new[] { "192.0.2.10", "192.0.2.11", "192.0.2.12" }));
        Assert.That(r.Entry.Aliases, Is.EqualTo(new[] { "www", "web.example.com" }));
    }

    [Test]
    public void Dns_answers_give_the_cname_target_as_name_and_the_chain_as_aliases()
    {
        var dns = new FakeDns().Set("w.example.com.", DnsQueryType.Aaaa,
            new DnsHostAnswer(DnsLookupOutcome.Success, new[] { IPAddress.Parse("2001:db8::80") }, "cdn.example.net.")
            { Aliases = new[] { "w.example.com." } });
        HostEntryResult r = new GetHostByName(TestData.Sources(dns)).ByName("w", AddrFamily.Inet6);
        Assert.That((r.Error, r.Entry!.Name, r.Entry.Family), Is.EqualTo((HostErrno.Success, "cdn.example.net", AddrFamily.Inet6)));
        Assert.That(r.Entry.Aliases, Is.EqualTo(new[] { "w.example.com" }));
        Assert.That(dns.Asked, Is.EqualTo(new[] { "w.example.com. Aaaa" }));
    }

    [TestCase(DnsLookupOutcome.NxDomain, HostErrno.HostNotFound)]
    [TestCase(DnsLookupOutcome.NoData, HostErrno.NoData)]
    [TestCase(DnsLookupOutcome.ServerFailure, HostErrno.TryAgain)]
    [TestCase(DnsLookupOutcome.Fail, HostErrno.NoRecovery)]
    public void Failures_are_reported_as_h_errno(DnsLookupOutcome outcome, HostErrno expected)
    {
        var dns = new FakeDns().Set("gone.example.org.", outcome);
        Assert.That(new GetHostByName(TestData.Sources(dns, resolvConf: "")).ByName("gone.example.org", AddrFamily.Inet).Error, Is.EqualTo(expected));
    }

    [Test]
    public void Address_lookups_use_the_hosts_file_then_the_first_ptr_name()
    {
        var dns = new FakeDns().AddPtr("192.0.2.50", "host50.example.com.", "second.example.com.");
        var ghba = new GetHostByName(TestData.Sources(dns));
        HostEntry box = ghba.ByAddress(IPAddress.Parse("127.0.1.1")).Entry!;
        Assert.That((box.Name, box.Aliases.Single()), Is.EqualTo(("box.example.com", "box")));
        HostEntry ptr = ghba.ByAddress(IPAddress.Parse("192.0.2.50")).Entry!;
        Assert.That((ptr.Name, ptr.Aliases.Count), Is.EqualTo(("host50.example.com", 0)));
        Assert.That(ghba.ByAddress(IPAddress.Parse("192.0.2.51")).Error, Is.EqualTo(HostErrno.HostNotFound));
    }

    [Test]
    public async Task The_async_forms_give_the_same_answers()
    {
        var dns = new FakeDns().Add("a.example.com.", DnsQueryType.A, "198.51.100.1").AddPtr("198.51.100.1", "a.example.com.");
        var g = new GetHostByName(TestData.Sources(dns));
        Assert.That((await g.ByNameAsync("a", AddrFamily.Inet)).Entry!.Name, Is.EqualTo("a.example.com"));
        Assert.That((await g.ByAddressAsync(IPAddress.Parse("198.51.100.1"))).Entry!.Name, Is.EqualTo("a.example.com"));
    }
}
