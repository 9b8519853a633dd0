using System.Net;
using Resolver.Server.Options;

namespace Resolver.Server.Tests.Options;

public class EndpointTextTests
{
    [TestCase("127.0.0.1:53", "127.0.0.1:53")]
    [TestCase("[::1]:5353", "[::1]:5353")]
    [TestCase("127.0.0.1:0", "127.0.0.1:0")]
    public void Listen_address_with_port_is_read(string text, string expected)
    {
        Assert.That(EndpointText.TryParseListen(text, out IPEndPoint endpoint, out string problem), Is.True, problem);
        Assert.That(endpoint.ToString(), Is.EqualTo(expected));
    }

    [TestCase("127.0.0.1:99999", "port must be 1-65535")]
    [TestCase("127.0.0.1", "no port; e.g. 127.0.0.1:53")]
    [TestCase("::1", "no port; e.g. [::1]:53")]
    [TestCase("localhost:53", "'localhost' is not an IP address")]
    [TestCase("[::1:53", "'[' without ']'")]
    [TestCase("", "empty")]
    public void Listen_address_problem_is_named(string text, string expected)
    {
        Assert.That(EndpointText.TryParseListen(text, out _, out string problem), Is.False);
        Assert.That(problem, Does.Contain(expected));
    }

    [TestCase("9.9.9.9", "9.9.9.9:53")]
    [TestCase("127.0.0.1:5300", "127.0.0.1:5300")]
    [TestCase("2620:fe::fe", "[2620:fe::fe]:53")]
    [TestCase("[::1]:5300", "[::1]:5300")]
    public void Upstream_port_defaults_to_53(string text, string expected)
    {
        Assert.That(EndpointText.TryParseUpstream(text, out IPEndPoint endpoint, out string problem), Is.True, problem);
        Assert.That(endpoint.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Upstream_port_zero_is_refused()
    {
        Assert.That(EndpointText.TryParseUpstream("127.0.0.1:0", out _, out string problem), Is.False);
        Assert.That(problem, Does.Contain("port '0' is not a number from 1 to 65535"));
    }
}
