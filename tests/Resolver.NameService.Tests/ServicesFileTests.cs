namespace Resolver.NameService.Tests;

public class ServicesFileTests
{
    private static readonly ServicesFile Services = ServicesFile.Parse(TestData.Services + "\nbroken 70000/tcp\nnoproto 5/\n");

    [Test]
    public void Name_lookup_is_per_protocol_and_knows_aliases()
    {
        Assert.That(Services.FindPort("domain", "udp"), Is.EqualTo(53));
        Assert.That(Services.FindPort("www", "tcp"), Is.EqualTo(80));
        Assert.That(Services.FindPort("http", "udp"), Is.Null);
        Assert.That(Services.FindPort("ntp", null), Is.EqualTo(123));
    }

    [Test]
    public void Name_lookup_is_case_sensitive_like_glibc() =>
        Assert.That(Services.FindPort("HTTP", "tcp"), Is.Null);

    [Test]
    public void Port_lookup_is_per_protocol()
    {
        Assert.That(Services.FindByPort(514, "tcp")!.Name, Is.EqualTo("shell"));
        Assert.That(Services.FindByPort(514, "udp")!.Name, Is.EqualTo("syslog"));
        Assert.That(Services.FindByPort(22, "udp"), Is.Null);
    }

    [Test]
    public void Malformed_lines_are_skipped() =>
        Assert.That(Services.Entries.Select(e => e.Name), Does.Not.Contain("broken").And.Not.Contain("noproto"));
}
