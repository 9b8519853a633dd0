using System.Net;

namespace Resolver.NameService.Tests;

public class ResolvConfTests
{
    [Test]
    public void Without_a_file_glibc_defaults_apply()
    {
        ResolvConf c = ResolvConf.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));
        Assert.That(c.Nameservers, Is.EqualTo(new[] { new IPEndPoint(IPAddress.Loopback, 53) }));
        Assert.That((c.Ndots, c.TimeoutSeconds, c.Attempts), Is.EqualTo((1, 5, 2)));
        Assert.That(c.Search, Is.Empty);
        Assert.That(c.Rotate || c.Edns0 || c.UseVc, Is.False);
    }

    [Test]
    public void At_most_three_nameservers_are_kept_with_ipv6_scopes()
    {
        ResolvConf c = ResolvConf.Parse("""
            nameserver 192.0.2.1
            nameserver fe80::1%eth0
            nameserver 2001:db8::53   # trailing text is ignored
            nameserver 192.0.2.4
            """, interfaces: new FakeInterfaces());
        Assert.That(c.Nameservers.Select(e => e.ToString()),
            Is.EqualTo(new[] { "192.0.2.1:53", "[fe80::1%2]:53", "[2001:db8::53]:53" }));
    }

    [Test]
    public void Unparseable_nameservers_are_skipped() =>
        Assert.That(ResolvConf.Parse("nameserver bogus\nnameserver 192.0.2.9\n").Nameservers.Single().Address,
            Is.EqualTo(IPAddress.Parse("192.0.2.9")));

    [TestCase("domain a.example\nsearch b.example c.example\n", new[] { "b.example", "c.example" })]
    [TestCase("search b.example c.example\ndomain a.example\n", new[] { "a.example" })]
    [TestCase("search x.example\nsearch y.example\n", new[] { "y.example" })]
    public void The_last_domain_or_search_line_wins(string text, string[] expected) =>
        Assert.That(ResolvConf.Parse(text).Search, Is.EqualTo(expected));

    [Test]
    public void Without_domain_or_search_the_host_names_domain_is_searched()
    {
        Assert.That(ResolvConf.Parse("", hostName: "box.lab.example").Search, Is.EqualTo(new[] { "lab.example" }));
        Assert.That(ResolvConf.Parse("", hostName: "box").Search, Is.Empty);
        Assert.That(ResolvConf.Parse("search s.example\n", hostName: "box.lab.example").Search, Is.EqualTo(new[] { "s.example" }));
    }

    [Test]
    public void Options_are_read_and_capped_like_glibc()
    {
        ResolvConf c = ResolvConf.Parse("options ndots:3 timeout:2 attempts:4 rotate edns0 use-vc trust-ad\n");
        Assert.That((c.Ndots, c.TimeoutSeconds, c.Attempts), Is.EqualTo((3, 2, 4)));
        Assert.That(c.Rotate && c.Edns0 && c.UseVc && c.TrustAd, Is.True);

        ResolvConf capped = ResolvConf.Parse("options ndots:99 timeout:99 attempts:99 bogus-option\n");
        Assert.That((capped.Ndots, capped.TimeoutSeconds, capped.Attempts), Is.EqualTo((15, 30, 5)));
    }

    [Test]
    public void Comments_and_keywords_without_a_blank_are_ignored()
    {
        ResolvConf c = ResolvConf.Parse("# nameserver 192.0.2.1\n; search bad.example\nnameserver\nsearchbad.example\n");
        Assert.That(c.Nameservers.Single().Address, Is.EqualTo(IPAddress.Loopback));
        Assert.That(c.Search, Is.Empty);
    }

    [Test]
    public void Environment_overrides_search_list_and_options()
    {
        ResolvConf c = ResolvConf.Parse("search file.example\noptions ndots:2\n").WithEnvironment("env1.example env2.example", "ndots:4 rotate");
        Assert.That(c.Search, Is.EqualTo(new[] { "env1.example", "env2.example" }));
        Assert.That((c.Ndots, c.Rotate), Is.EqualTo((4, true)));
    }
}
