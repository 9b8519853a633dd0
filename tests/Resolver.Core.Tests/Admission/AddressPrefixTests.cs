using System.Net;
using Resolver.Core.Admission;

namespace Resolver.Core.Tests.Admission;

public class AddressPrefixTests
{
    [TestCase("10.0.0.0/8", "10.255.1.2", true)]
    [TestCase("10.0.0.0/8", "11.0.0.1", false)]
    [TestCase("172.16.0.0/12", "172.31.255.255", true)]
    [TestCase("172.16.0.0/12", "172.32.0.0", false)]
    [TestCase("192.0.2.7", "192.0.2.7", true)]
    [TestCase("192.0.2.7", "192.0.2.8", false)]
    [TestCase("0.0.0.0/0", "203.0.113.9", true)]
    [TestCase("fe80::/10", "febf::1", true)]
    [TestCase("fe80::/10", "fec0::1", false)]
    [TestCase("fc00::/7", "fd12:3456::1", true)]
    [TestCase("2001:db8::/32", "2001:db8:ffff::1", true)]
    [TestCase("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [TestCase("::ffff:10.0.0.0/104", "10.9.9.9", true)]
    [TestCase("::/0", "10.1.2.3", false)]
    [TestCase("::/0", "::ffff:10.1.2.3", false)]
    [TestCase("0.0.0.0/0", "2001:db8::1", false)]
    public void Range_covers_the_addresses_inside_it(string range, string address, bool inside) =>
        Assert.That(AddressPrefix.Parse(range).Contains(IPAddress.Parse(address)), Is.EqualTo(inside), $"{range} contains {address}");

    [TestCase("10.0.0.0/33", "from 0 to 32")]
    [TestCase("::1/129", "from 0 to 128")]
    [TestCase("10.0.0.0/x", "from 0 to 32")]
    [TestCase("10.0.0.0/-1", "from 0 to 32")]
    [TestCase("ten/8", "'ten' is not an IPv4 or IPv6 address")]
    [TestCase("", "is not an IPv4 or IPv6 address")]
    [TestCase("fe80::1%eth0/64", "zone index")]
    public void Bad_range_is_rejected_saying_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AddressPrefix.Parse(text))!;
        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.Message, Does.Contain("'" + text + "'"), "the message quotes the input");
    }

    [Test]
    public void Ranges_written_differently_are_the_same_range()
    {
        Assert.That(AddressPrefix.Parse("10.1.2.3/8").SameRange(AddressPrefix.Parse("10.0.0.0/8")), Is.True);
        Assert.That(AddressPrefix.Parse("10.0.0.0/8").SameRange(AddressPrefix.Parse("10.0.0.0/9")), Is.False);
    }
}
