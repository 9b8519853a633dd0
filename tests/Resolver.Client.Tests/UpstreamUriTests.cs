using System.Net;
using Resolver.Client.Upstreams;

namespace Resolver.Client.Tests;

public class UpstreamUriTests
{
    [TestCase("192.0.2.1", UpstreamTransport.Udp, "192.0.2.1:53")]
    [TestCase("udp://[::1]:5300", UpstreamTransport.Udp, "[::1]:5300")]
    [TestCase("tcp://192.0.2.1", UpstreamTransport.Tcp, "tcp://192.0.2.1:53")]
    [TestCase("tls://192.0.2.1", UpstreamTransport.Tls, "tls://192.0.2.1:853")]
    [TestCase("tls://192.0.2.1:8853#dns.example", UpstreamTransport.Tls, "tls://192.0.2.1:8853#dns.example")]
    [TestCase("https://dns.example/dns-query", UpstreamTransport.Https, "https://dns.example/dns-query")]
    [TestCase("https://dns.example:8443/q?bootstrap=192.0.2.7", UpstreamTransport.Https, "https://dns.example:8443/q@192.0.2.7")]
    [TestCase("https://192.0.2.1", UpstreamTransport.Https, "https://192.0.2.1/dns-query")]
    public void Upstream_uri_names_its_transport_with_the_default_port(string text, UpstreamTransport transport, string canonical)
    {
        var upstream = UpstreamUri.Parse(text);
        Assert.That(upstream.Transport, Is.EqualTo(transport));
        Assert.That(upstream.Text, Is.EqualTo(canonical));
    }

    [Test]
    public void Tls_upstream_keeps_its_authentication_name_and_pins()
    {
        string pin = Convert.ToBase64String(new byte[32]);
        var upstream = UpstreamUri.Parse($"tls://127.0.0.1:853?pin-sha256={pin}#dns.example");
        Assert.That(upstream.Address, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 853)));
        Assert.That(upstream.AuthenticationName, Is.EqualTo("dns.example"));
        Assert.That(upstream.Pins, Has.Count.EqualTo(1));
    }

    [Test]
    public void Https_host_name_without_bootstrap_is_resolved_when_connecting()
    {
        var upstream = UpstreamUri.Parse("https://dns.example/dns-query?method=get");
        Assert.That(upstream.HasAddress, Is.False);
        Assert.That(upstream.UseGet, Is.True);
        Assert.That(upstream.Address.Port, Is.EqualTo(443));
    }

    [TestCase("quic://192.0.2.1", "unknown scheme")]
    [TestCase("tls://dns.example", "not an IPv4 or IPv6 address")]
    [TestCase("tls://192.0.2.1#bad name", "not a host name")]
    [TestCase("tls://192.0.2.1?pin-sha256=abc", "32-octet SHA-256")]
    [TestCase("tls://192.0.2.1?pin=x", "unknown parameter")]
    [TestCase("tcp://192.0.2.1/path", "only for tls:// and https://")]
    [TestCase("https://dns.example:0/", "port '0'")]
    [TestCase("https://dns.example/?bootstrap=nope", "bootstrap 'nope'")]
    [TestCase("https://192.0.2.1/?bootstrap=192.0.2.2", "address already")]
    [TestCase("https://dns.example/?method=put", "neither get nor post")]
    public void Bad_upstream_uri_gets_an_error_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => UpstreamUri.Parse(text))!;
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.Contain("tls://ADDR[:PORT][#NAME]"));
    }
}
