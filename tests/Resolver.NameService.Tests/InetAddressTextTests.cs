using System.Net;

namespace Resolver.NameService.Tests;

public class InetAddressTextTests
{
    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("127.1", "127.0.0.1")]
    [TestCase("10.1.2", "10.1.0.2")]
    [TestCase("3232235777", "192.168.1.1")]
    [TestCase("0x7f.1", "127.0.0.1")]
    [TestCase("0177.0.0.1", "127.0.0.1")]
    [TestCase("0", "0.0.0.0")]
    public void Inet_aton_reads_shorthand_octal_and_hex(string text, string expected)
    {
        Assert.That(InetAddressText.TryParseAton(text, out IPAddress a), Is.True);
        Assert.That(a.ToString(), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("1.2.3.4.5")]
    [TestCase("256.1.1.1")]
    [TestCase("1.2.3.4 ")]
    [TestCase("08.1.1.1")]
    [TestCase("0x")]
    [TestCase("1..2")]
    [TestCase("1.2.3.")]
    [TestCase("4294967296")]
    [TestCase("1.16777216")]
    [TestCase("www.example.com")]
    public void Inet_aton_rejects_malformed_and_trailing_text(string text) =>
        Assert.That(InetAddressText.TryParseAton(text, out _), Is.False);

    [TestCase("1.2.3.4", true)]
    [TestCase("01.2.3.4", false)]
    [TestCase("127.1", false)]
    [TestCase("1.2.3.256", false)]
    [TestCase("0.0.0.0", true)]
    public void Inet_pton4_accepts_only_four_plain_octets(string text, bool ok) =>
        Assert.That(InetAddressText.TryParsePton4(text, out _), Is.EqualTo(ok));

    [TestCase("::", "::")]
    [TestCase("::1", "::1")]
    [TestCase("2001:DB8::1", "2001:db8::1")]
    [TestCase("fe80::1:2", "fe80::1:2")]
    [TestCase("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [TestCase("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    [TestCase("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    public void Inet_pton6_reads_what_glibc_reads(string text, string expected)
    {
        Assert.That(InetAddressText.TryParsePton6(text, out IPAddress a), Is.True);
        Assert.That(InetAddressText.Format(a), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase(":")]
    [TestCase(":1")]
    [TestCase("1:")]
    [TestCase("1::2::3")]
    [TestCase("12345::")]
    [TestCase("1:2:3:4:5:6:7:8:9")]
    [TestCase("1:2:3:4:5:6:7::8")]
    [TestCase("[::1]")]
    [TestCase("fe80::1%eth0")]
    [TestCase("::1.2.3")]
    public void Inet_pton6_rejects_what_glibc_rejects(string text) =>
        Assert.That(InetAddressText.TryParsePton6(text, out _), Is.False);

    [TestCase("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [TestCase("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [TestCase("1:0:0:0:0:0:0:0", "1::")]
    [TestCase("::1.2.3.4", "::1.2.3.4")]
    [TestCase("::ffff:0:1.2.3.4", "::ffff:0:102:304")]
    [TestCase("::ffff:0.0.0.2", "::ffff:0.0.0.2")]
    [TestCase("0:0:0:0:0:0:0:2", "::2")]
    public void Inet_ntop_formats_ipv6_like_glibc(string text, string expected) =>
        Assert.That(InetAddressText.Format(IPAddress.Parse(text)), Is.EqualTo(expected));

    [Test]
    public void Inet_ntop_leaves_the_scope_out() =>
        Assert.That(InetAddressText.Format(IPAddress.Parse("fe80::1%2")), Is.EqualTo("fe80::1"));
}
