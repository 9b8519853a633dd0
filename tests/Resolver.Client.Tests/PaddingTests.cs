using Resolver.Client.Transport;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Client.Tests;

public class PaddingTests
{
    [TestCase("a.example.")]
    [TestCase("a-much-longer-name.with.several.labels.example.")]
    public void Query_on_an_encrypted_transport_is_padded_to_a_multiple_of_128_octets(string name)
    {
        using var query = new OutgoingQuery(new UpstreamQuery(DnsName.Parse(name), RecordType.A), withEdns: true, 1232, paddingBlock: 128);

        Assert.That(query.Datagram.Length % 128, Is.Zero, $"length {query.Datagram.Length}");
        var parsed = DnsMessage.Parse(query.Datagram.Span);
        Assert.That(parsed.Edns!.Options.OfType<PaddingOption>().Single().Data, Is.All.Zero);
    }

    [Test]
    public void Query_in_clear_text_is_not_padded()
    {
        using var query = new OutgoingQuery(new UpstreamQuery(DnsName.Parse("a.example."), RecordType.A), withEdns: true, 1232);

        Assert.That(DnsMessage.Parse(query.Datagram.Span).Edns!.Options.OfType<PaddingOption>(), Is.Empty);
    }
}
