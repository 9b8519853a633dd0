using System.Net;
using Resolver.Core.Forwarding;

namespace Resolver.Core.Tests.Forwarding;

public class UpstreamConfigurationTests
{
    [TestCase("192.0.2.1", "192.0.2.1", 53)]
    [TestCase("192.0.2.1:5300", "192.0.2.1", 5300)]
    [TestCase("::1", "::1", 53)]
    [TestCase("2001:db8::53", "2001:db8::53", 53)]
    [TestCase("[::1]", "::1", 53)]
    [TestCase("[::1]:5300", "::1", 5300)]
    [TestCase(" 127.0.0.1:5353 ", "127.0.0.1", 5353)]
    public void Upstream_address_is_parsed_with_default_port_53(string text, string address, int port) =>
        Assert.That(UpstreamAddress.Parse(text), Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)));

    [TestCase("", "empty")]
    [TestCase("dns.example", "not an IPv4 or IPv6 address")]
    [TestCase("192.0.2.1:0", "port '0'")]
    [TestCase("192.0.2.1:70000", "port '70000'")]
    [TestCase("192.0.2.1:abc", "port 'abc'")]
    [TestCase("[::1", "without ']'")]
    [TestCase("[::1]5300", "expected ':port'")]
    [TestCase("[192.0.2.1]:53", "brackets are for IPv6")]
    public void Bad_upstream_address_gets_an_error_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => UpstreamAddress.Parse(text))!;
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.Contain("address[:port]"));
    }

    [Test]
    public void Options_validation_lists_every_bad_setting()
    {
        var options = new ForwarderOptions
        {
            Upstreams = ["192.0.2.1", "nope"],
            DomainUpstreams = new() { ["corp.example"] = [], ["lab.example"] = ["[::1]:99999"] },
            OverallDeadline = TimeSpan.Zero,
            HedgeQuantile = 1.5,
        };
        string errors = string.Join("\n", options.Validate());
        Assert.That(errors, Does.Contain("'nope'"));
        Assert.That(errors, Does.Contain("DomainUpstreams:corp.example has no upstreams"));
        Assert.That(errors, Does.Contain("port '99999'"));
        Assert.That(errors, Does.Contain("OverallDeadline"));
        Assert.That(errors, Does.Contain("HedgeQuantile"));
        var thrown = Assert.Throws<ArgumentException>(() => new UpstreamTable(options, TimeProvider.System))!;
        Assert.That(thrown.Message, Does.Contain("HedgeQuantile"), "a table built without the host refuses the same settings");
    }

    [Test]
    public void Options_without_any_upstream_are_valid_for_a_zones_only_resolver()
    {
        Assert.That(new ForwarderOptions().Validate(), Is.Empty);
        Assert.That(new UpstreamTable(new ForwarderOptions(), TimeProvider.System).HasDefault, Is.False);
    }

    [Test]
    public void Same_address_in_several_lists_is_one_upstream_with_shared_state()
    {
        var table = new UpstreamTable(new ForwarderOptions
        {
            Upstreams = ["127.0.0.1:5301", "127.0.0.1:5302"],
            DomainUpstreams = new() { ["corp.example"] = ["127.0.0.1:5302"] },
        }, TimeProvider.System);
        Assert.That(table.All, Has.Count.EqualTo(2));
        Assert.That(table.Find(Protocol.DnsName.Parse("a.corp.example."))[0], Is.SameAs(table.Find(Protocol.DnsName.Parse("x.org."))[1]));
    }
}
