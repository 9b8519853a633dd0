using System.Net;

namespace Resolver.NameService.Tests;

public class ReverseNameTests
{
    [Test]
    public void Ipv4_reverse_name_is_reversed_octets_under_in_addr_arpa() =>
        Assert.That(ReverseName.For(IPAddress.Parse("192.0.2.1")), Is.EqualTo("1.2.0.192.in-addr.arpa."));

    [Test]
    public void Ipv6_reverse_name_is_32_nibbles_under_ip6_arpa() =>
        Assert.That(ReverseName.For(IPAddress.Parse("2001:db8::567:89ab%3")),
            Is.EqualTo("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."));

    [TestCase("192.0.2.1")]
    [TestCase("2001:db8::567:89ab")]
    [TestCase("::")]
    public void Reverse_names_parse_back_to_the_address(string address) =>
        Assert.That(ReverseName.TryParse(ReverseName.For(IPAddress.Parse(address))), Is.EqualTo(IPAddress.Parse(address)));

    [TestCase("1.2.0.192.IN-ADDR.ARPA", "192.0.2.1")]
    [TestCase("2.0.192.in-addr.arpa.", null)]
    [TestCase("01.2.0.192.in-addr.arpa.", null)]
    [TestCase("example.com.", null)]
    public void Reverse_name_parsing_is_strict_but_case_insensitive(string name, string? expected) =>
        Assert.That(ReverseName.TryParse(name)?.ToString(), Is.EqualTo(expected));
}
