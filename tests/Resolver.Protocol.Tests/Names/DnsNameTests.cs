namespace Resolver.Protocol.Tests.Names;

public class DnsNameTests
{
    [TestCase("www.example.com.", "www.example.com.")]
    [TestCase("WWW.Example.COM.", "WWW.Example.COM.")]
    [TestCase("a\\.b.example.", "a\\.b.example.")]
    [TestCase("\\000\\255.example.", "\\000\\255.example.")]
    [TestCase(".", ".")]
    public void Text_form_round_trips_with_case_and_escapes(string text, string expected) =>
        Assert.That(DnsName.Parse(text).ToString(), Is.EqualTo(expected));

    [Test]
    public void Relative_name_is_completed_with_the_origin() =>
        Assert.That(DnsName.Parse("www", DnsName.Parse("example.com.")).ToString(), Is.EqualTo("www.example.com."));

    [Test]
    public void Names_compare_ignoring_ascii_case_only()
    {
        Assert.That(DnsName.Parse("WWW.EXAMPLE.com."), Is.EqualTo(DnsName.Parse("www.example.COM.")));
        Assert.That(DnsName.Parse("WWW.EXAMPLE.com.").GetHashCode(), Is.EqualTo(DnsName.Parse("www.example.COM.").GetHashCode()));
        Assert.That(DnsName.Parse("\\195.example."), Is.Not.EqualTo(DnsName.Parse("\\227.example.")));
    }

    [Test]
    public void Label_of_64_octets_is_rejected() =>
        Assert.Throws<DnsFormatException>(() => DnsName.Parse(new string('a', 64) + ".example."));

    [Test]
    public void Name_over_255_octets_is_rejected()
    {
        string label = new string('a', 63);
        Assert.Throws<DnsFormatException>(() => DnsName.Parse($"{label}.{label}.{label}.{label}."));
        Assert.DoesNotThrow(() => DnsName.Parse($"{label}.{label}.{label}.{new string('a', 61)}."));
    }

    [Test]
    public void Subdomain_test_and_parent()
    {
        var name = DnsName.Parse("a.b.Example.com.");
        Assert.That(name.IsSubdomainOf(DnsName.Parse("example.COM.")), Is.True);
        Assert.That(name.IsSubdomainOf(DnsName.Parse("b.example.net.")), Is.False);
        Assert.That(name.Parent().ToString(), Is.EqualTo("b.Example.com."));
        Assert.That(name.LabelCount, Is.EqualTo(4));
    }
}
