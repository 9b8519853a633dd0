using System.Net;

namespace Resolver.NameService.Tests;

public class HostsFileTests
{
    private static readonly HostsFile Hosts = HostsFile.Parse(TestData.Hosts + """

        # comment line
        10.0.0.1
        not-an-address bogus
        fe80::1%eth0 router-ll
        fe80::2%7    other-ll
        fe80::3%nosuchif broken
        ::ffff:192.0.2.99 mapped.example.com
        10.0.0.9	tabbed	tab-alias	# trailing comment
        """, new FakeInterfaces());

    [Test]
    public void Lines_without_a_name_or_with_a_bad_address_are_skipped()
    {
        Assert.That(Hosts.Entries.Select(e => e.CanonicalName), Does.Not.Contain("bogus").And.Not.Contain("broken"));
        Assert.That(Hosts.Entries.Any(e => e.Address.Equals(IPAddress.Parse("10.0.0.1"))), Is.False);
    }

    [Test]
    public void Name_lookup_matches_canonical_names_and_aliases_case_insensitively()
    {
        Assert.That(Hosts.FindByName("WWW", AddrFamily.Inet).Select(e => e.Address.ToString()), Is.EqualTo(new[] { "192.0.2.10" }));
        Assert.That(Hosts.FindByName("ip6-LOOPBACK").Single().CanonicalName, Is.EqualTo("localhost"));
        Assert.That(Hosts.FindByName("tab-alias").Single().Address, Is.EqualTo(IPAddress.Parse("10.0.0.9")));
    }

    [Test]
    public void Name_lookup_returns_every_line_of_the_family_in_file_order()
    {
        Assert.That(Hosts.FindByName("www.example.com").Select(e => e.Address.ToString()),
            Is.EqualTo(new[] { "192.0.2.10", "192.0.2.11", "2001:db8::10" }));
        Assert.That(Hosts.FindByName("www.example.com", AddrFamily.Inet6).Select(e => e.Address.ToString()),
            Is.EqualTo(new[] { "2001:db8::10" }));
        Assert.That(Hosts.FindByName("localhost", AddrFamily.Inet).Select(e => e.Address.ToString()), Is.EqualTo(new[] { "127.0.0.1" }));
    }

    [Test]
    public void Ipv4_mapped_lines_answer_ipv4_lookups_as_ipv4() =>
        Assert.That(Hosts.FindByName("mapped.example.com", AddrFamily.Inet).Single().Address, Is.EqualTo(IPAddress.Parse("192.0.2.99")));

    [Test]
    public void Scoped_ipv6_addresses_keep_their_scope_by_interface_name_or_number()
    {
        Assert.That(Hosts.FindByName("router-ll").Single().Address.ScopeId, Is.EqualTo(2));
        Assert.That(Hosts.FindByName("other-ll").Single().Address.ScopeId, Is.EqualTo(7));
    }

    [Test]
    public void Address_lookup_returns_the_first_line_for_the_address()
    {
        Assert.That(Hosts.FindByAddress(IPAddress.Parse("::1"))!.CanonicalName, Is.EqualTo("localhost"));
        Assert.That(Hosts.FindByAddress(IPAddress.Parse("127.0.1.1"))!.Aliases, Is.EqualTo(new[] { "box" }));
        Assert.That(Hosts.FindByAddress(IPAddress.Parse("fe80::1%9"))!.CanonicalName, Is.EqualTo("router-ll"));
        Assert.That(Hosts.FindByAddress(IPAddress.Parse("192.0.2.12")), Is.Null);
    }

    [Test]
    public void A_missing_file_is_an_empty_database() =>
        Assert.That(HostsFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).Entries, Is.Empty);

    [Test]
    public void A_file_on_disk_is_read()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "192.0.2.5 disk.example\r\n");
            Assert.That(HostsFile.Load(path).FindByName("disk.example").Single().Address, Is.EqualTo(IPAddress.Parse("192.0.2.5")));
        }
        finally { File.Delete(path); }
    }
}
