using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// The special-use names of the shipped zones/ folder (RFC 6761, RFC 6762 Appendix G, RFC 7686,
/// RFC 8375) are answered locally and never leak to the upstream.
/// </summary>
public sealed class ShippedZoneTests : ResolverFixture
{
    protected override void AddZones(ZoneFolder zones) => zones.CopyFrom(RepositoryPaths.ShippedZones);

    [TestCase("localhost.", RecordType.A, "127.0.0.1")]
    [TestCase("localhost.", RecordType.AAAA, "::1")]
    [TestCase("1.0.0.127.in-addr.arpa.", RecordType.PTR, "localhost.")]
    public async Task Special_use_name_is_answered_locally(string name, RecordType type, string data)
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(name, type);

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(response));
            Assert.That(response.AuthoritativeAnswer, Is.True);
            Assert.That(response.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { data }));
            Assert.That(Upstream.TotalQueries, Is.Zero, "never forwarded");
        });
    }

    [TestCase("4.3.2.10.in-addr.arpa.", RecordType.PTR, "10.in-addr.arpa.")]
    [TestCase("9.1.168.192.in-addr.arpa.", RecordType.PTR, "168.192.in-addr.arpa.")]
    [TestCase("foo.invalid.", RecordType.A, "invalid.")]
    [TestCase("x.onion.", RecordType.A, "onion.")]
    public async Task Special_use_name_is_nxdomain_with_its_zone_soa(string name, RecordType type, string zone)
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(name, type);

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(response));
            Assert.That(response.Answers, Is.Empty);
            Assert.That(response.Authorities.Where(r => r.Type == RecordType.SOA).Select(r => r.Name.ToString()), Is.EqualTo(new[] { zone }));
            Assert.That(Upstream.TotalQueries, Is.Zero, "never forwarded");
        });
    }

    [Test]
    public async Task Name_outside_the_special_use_zones_is_still_forwarded()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.That(response.Answers, Has.Count.EqualTo(1), RawDns.Describe(response));
        Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(1));
    }
}
