using System.Net;

namespace Resolver.NameService.Tests;

public class DestinationAddressSorterTests
{
    private static string[] Sort(SourceAddressSelector source, params string[] destinations) =>
        DestinationAddressSorter.Sort(destinations.Select(IPAddress.Parse).ToList(), a => a, source).Select(a => a.ToString()).ToArray();

    [Test]
    public void Policy_table_is_glibcs()
    {
        Assert.That(AddressPolicyTable.PrecedenceOf(IPAddress.Parse("::1")), Is.EqualTo(50));
        Assert.That(AddressPolicyTable.PrecedenceOf(IPAddress.Parse("2001:db8::1")), Is.EqualTo(40));
        Assert.That(AddressPolicyTable.PrecedenceOf(IPAddress.Parse("2002::1")), Is.EqualTo(30));
        Assert.That(AddressPolicyTable.PrecedenceOf(IPAddress.Parse("192.0.2.1")), Is.EqualTo(10));
        Assert.That(AddressPolicyTable.LabelOf(IPAddress.Parse("192.0.2.1")), Is.EqualTo(4));
        Assert.That(AddressPolicyTable.LabelOf(IPAddress.Parse("fd00::1")), Is.EqualTo(6));
        Assert.That(AddressPolicyTable.LabelOf(IPAddress.Parse("2001:0:1::1")), Is.EqualTo(7));
        Assert.That(AddressPolicyTable.ScopeOf(IPAddress.Parse("169.254.1.1")), Is.EqualTo(2));
        Assert.That(AddressPolicyTable.ScopeOf(IPAddress.Parse("fe80::1")), Is.EqualTo(2));
        Assert.That(AddressPolicyTable.ScopeOf(IPAddress.Parse("ff05::1")), Is.EqualTo(5));
        Assert.That(AddressPolicyTable.ScopeOf(IPAddress.Parse("8.8.8.8")), Is.EqualTo(14));
    }

    [Test]
    public void Rule_1_unusable_destinations_go_last() =>
        Assert.That(Sort(d => d.ToString() == "2001:db8::1" ? null : TestData.SameFamilySource(d), "2001:db8::1", "192.0.2.1"),
            Is.EqualTo(new[] { "192.0.2.1", "2001:db8::1" }));

    [Test]
    public void Rule_2_matching_scope_wins_over_precedence() =>
        // Only a link-local IPv6 source: the global IPv6 destination's scope does not match it.
        Assert.That(Sort(d => d.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.Parse("fe80::9") : IPAddress.Parse("192.0.2.200"),
            "2001:db8::1", "192.0.2.1"), Is.EqualTo(new[] { "192.0.2.1", "2001:db8::1" }));

    [Test]
    public void Rule_5_matching_label_wins_over_precedence() =>
        // A 6to4 source (label 2) for a native destination (label 1), IPv4 source for IPv4.
        Assert.That(Sort(d => d.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.Parse("2002:c000:2c8::1") : IPAddress.Parse("192.0.2.200"),
            "2001:db8::1", "192.0.2.1"), Is.EqualTo(new[] { "192.0.2.1", "2001:db8::1" }));

    [Test]
    public void Rule_6_higher_precedence_first_so_ipv6_before_ipv4() =>
        Assert.That(Sort(TestData.SameFamilySource, "192.0.2.1", "2001:db8::1", "::1", "127.0.0.1"),
            Is.EqualTo(new[] { "::1", "2001:db8::1", "127.0.0.1", "192.0.2.1" }));

    [Test]
    public void Rule_8_smaller_scope_first() =>
        Assert.That(Sort(d => d, "192.0.2.1", "169.254.0.1"), Is.EqualTo(new[] { "169.254.0.1", "192.0.2.1" }));

    [Test]
    public void Rule_9_longer_common_prefix_with_the_source_first() =>
        Assert.That(Sort(_ => IPAddress.Parse("2001:db8:1::200"), "2001:db8:2::1", "2001:db8:1::1"),
            Is.EqualTo(new[] { "2001:db8:1::1", "2001:db8:2::1" }));

    [Test]
    public void Rule_10_otherwise_the_order_is_kept() =>
        Assert.That(Sort(TestData.SameFamilySource, "192.0.2.3", "192.0.2.1", "192.0.2.2"),
            Is.EqualTo(new[] { "192.0.2.3", "192.0.2.1", "192.0.2.2" }));
}
