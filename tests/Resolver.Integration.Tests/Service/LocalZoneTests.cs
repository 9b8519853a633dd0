using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using DnsResponseCode = Resolver.Protocol.DnsResponseCode;

namespace Resolver.Integration.Tests.Service;

/// <summary>Names in the local zone are answered by the resolver itself (AA=1) and never forwarded.</summary>
public sealed class LocalZoneTests : ResolverFixture
{
    [Test]
    public async Task Local_name_is_answered_authoritatively_without_upstream_traffic()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.Client().QueryAsync("www.local.test", QueryType.A);

        Assert.Multiple(() =>
        {
            Assert.That(response.Header.ResponseCode, Is.EqualTo(DnsHeaderResponseCode.NoError));
            Assert.That(response.Header.HasAuthorityAnswer, Is.True, "AA");
            Assert.That(response.Answers.ARecords().Select(a => a.Address), Is.EqualTo(new[] { IPAddress.Parse("192.0.2.10") }));
            Assert.That(Upstream.TotalQueries, Is.Zero, "local data must not be forwarded");
        });
    }

    [Test]
    public async Task Wildcard_answers_a_missing_name_with_the_query_name_as_owner()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("Anything.wild.local.test.", RecordType.A);

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(response));
        Assert.That(response.Answers, Has.Count.EqualTo(1), RawDns.Describe(response));
        Assert.That(response.Answers[0].Name.ToString(), Is.EqualTo("anything.wild.local.test.").IgnoreCase, "RFC 4592 §3.3: owner is the query name");
        Assert.That(((ARecordData)response.Answers[0].Data).ToText(), Is.EqualTo("192.0.2.99"));
        Assert.That(Upstream.TotalQueries, Is.Zero);
    }

    [Test]
    public async Task Cname_is_followed_inside_the_local_zones()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.Client().QueryAsync("alias.local.test", QueryType.A);

        Assert.Multiple(() =>
        {
            Assert.That(response.Answers.CnameRecords().Single().CanonicalName.Value, Is.EqualTo("www.local.test."));
            Assert.That(response.Answers.ARecords().Single().Address, Is.EqualTo(IPAddress.Parse("192.0.2.10")));
            Assert.That(response.Answers[0], Is.InstanceOf<CNameRecord>(), "the CNAME comes first");
            Assert.That(Upstream.TotalQueries, Is.Zero);
        });
    }

    [Test]
    public async Task Missing_name_is_nxdomain_with_the_zone_soa_in_authority()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.Client().QueryAsync("nothing.local.test", QueryType.A);

        Assert.Multiple(() =>
        {
            Assert.That(response.Header.ResponseCode, Is.EqualTo(DnsHeaderResponseCode.NotExistentDomain));
            Assert.That(response.Answers, Is.Empty);
            var soa = response.Authorities.SoaRecords().Single();
            Assert.That(soa.DomainName.Value, Is.EqualTo("local.test."));
            Assert.That(soa.TimeToLive, Is.EqualTo(60), "RFC 2308 §5: min(SOA TTL, MINIMUM)");
            Assert.That(Upstream.TotalQueries, Is.Zero);
        });
    }

    [Test]
    public async Task Existing_name_without_the_type_is_nodata_with_the_zone_soa()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.Client().QueryAsync("txtonly.local.test", QueryType.A);

        Assert.Multiple(() =>
        {
            Assert.That(response.Header.ResponseCode, Is.EqualTo(DnsHeaderResponseCode.NoError));
            Assert.That(response.Answers, Is.Empty);
            Assert.That(response.Authorities.SoaRecords().Single().DomainName.Value, Is.EqualTo("local.test."));
            Assert.That(Upstream.TotalQueries, Is.Zero);
        });
    }

    [Test]
    public async Task Empty_non_terminal_is_nodata_not_nxdomain()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("ent.local.test.", RecordType.A);

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), "RFC 8020: " + RawDns.Describe(response));
        Assert.That(response.Answers, Is.Empty);
        Assert.That(response.Authorities.Select(r => r.Type), Is.EqualTo(new[] { RecordType.SOA }));
    }

    [Test]
    public async Task Cname_to_a_name_outside_the_local_zones_ends_with_the_cname()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("outside.local.test.", RecordType.A);

        Assert.That(response.Answers.Select(r => r.Type).First(), Is.EqualTo(RecordType.CNAME), RawDns.Describe(response));
        Assert.That(response.AuthoritativeAnswer, Is.True);
    }

    [Test]
    public async Task Zone_transfer_of_a_local_zone_is_refused()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskTcpAsync(RawDns.Query("local.test.", RecordType.AXFR));

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), RawDns.Describe(response));
        Assert.That(response.Answers, Is.Empty);
        Assert.That(Upstream.TotalQueries, Is.Zero);
    }
}
