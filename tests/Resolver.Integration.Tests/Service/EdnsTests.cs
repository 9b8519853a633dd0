using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Integration.Tests.Service;

/// <summary>RFC 6891 answer rules: OPT only for OPT, our size 1232, DO echoed, version 0 only.</summary>
public sealed class EdnsTests : ResolverFixture
{
    [TestCase("www.local.test.", TestName = "Query_without_edns_gets_no_opt_from_a_local_zone")]
    [TestCase("www.fwd.test.", TestName = "Query_without_edns_gets_no_opt_when_forwarded")]
    public async Task Query_without_edns_gets_no_opt(string name)
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query(name, RecordType.A));

        Assert.That(response.Answers, Has.Count.EqualTo(1), RawDns.Describe(response));
        Assert.That(response.Edns, Is.Null, "RFC 6891 §7: no OPT in a response to a query without one");
    }

    [TestCase("www.local.test.", true)]
    [TestCase("www.local.test.", false)]
    [TestCase("www.fwd.test.", true)]
    [TestCase("www.fwd.test.", false)]
    public async Task Edns_query_gets_opt_with_our_size_and_its_do_bit(string name, bool dnssecOk)
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query(name, RecordType.A, edns: true, dnssecOk: dnssecOk));

        Assert.That(response.Edns, Is.Not.Null, RawDns.Describe(response));
        Assert.Multiple(() =>
        {
            Assert.That(response.Edns!.UdpPayloadSize, Is.EqualTo(1232));
            Assert.That(response.Edns.DnssecOk, Is.EqualTo(dnssecOk), "RFC 3225 §3: DO copied");
            Assert.That(response.Edns.Version, Is.Zero);
            Assert.That(response.Answers, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Edns_version_1_is_answered_badvers()
    {
        await using var resolver = await StartResolverAsync();
        var query = RawDns.Query("www.local.test.", RecordType.A, edns: true);
        query.Edns!.Version = 1;

        var response = await resolver.AskUdpAsync(query);

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.BadVers), RawDns.Describe(response));
        Assert.That(response.Edns, Is.Not.Null, "BADVERS needs an OPT to carry the upper RCODE bits");
        Assert.That(response.Edns!.Version, Is.Zero, "RFC 6891 §6.1.3: we answer with the version we speak");
        Assert.That(response.Answers, Is.Empty);
        Assert.That(Upstream.TotalQueries, Is.Zero);
    }

    [Test]
    public async Task Edns_size_below_512_is_taken_as_512()
    {
        await using var resolver = await StartResolverAsync();
        var query = RawDns.Query("www.local.test.", RecordType.A, edns: true);
        query.Edns!.UdpPayloadSize = 100;

        var response = await resolver.AskUdpAsync(query);

        Assert.That(response.Truncated, Is.False, "RFC 6891 §6.2.5: values below 512 are treated as 512: " + RawDns.Describe(response));
        Assert.That(response.Answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Do_and_cd_are_passed_upstream_and_cd_is_echoed()
    {
        await using var resolver = await StartResolverAsync();
        var query = RawDns.Query("www.fwd.test.", RecordType.A, edns: true, dnssecOk: true);
        query.CheckingDisabled = true;

        var response = await resolver.AskUdpAsync(query);

        var upstream = Upstream.QueriesReceived("www.fwd.test.").Single().Message;
        Assert.Multiple(() =>
        {
            Assert.That(response.CheckingDisabled, Is.True, "RFC 6840 §5.9: CD copied into the response");
            Assert.That(upstream.CheckingDisabled, Is.True, "CD passed upstream");
            Assert.That(upstream.Edns?.DnssecOk, Is.True, "DO passed upstream");
        });
    }

    [Test]
    public async Task Upstream_edns_options_are_not_passed_to_the_client()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true));

        Assert.That(response.Edns, Is.Not.Null);
        Assert.That(response.Edns!.Options.Where(o => o is not ExtendedErrorOption), Is.Empty, RawDns.Describe(response));
    }
}

/// <summary>DNS 0x20: the question comes back with the client's own letter case, whoever answered.</summary>
public sealed class CaseEchoTests : ResolverFixture
{
    [Test]
    public async Task Mixed_case_question_is_echoed_from_a_local_zone()
    {
        await using var resolver = await StartResolverAsync();
        var query = RawDns.Query("wWw.LoCaL.tEsT.", RecordType.A);

        var response = await resolver.AskUdpAsync(query);

        Assert.That(response.Questions.Single().Name.EqualsExactly(query.Questions[0].Name), Is.True,
            "question case echoed: " + RawDns.Describe(response));
        Assert.That(response.Answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Mixed_case_question_is_echoed_on_a_cached_negative_answer()
    {
        await using var resolver = await StartResolverAsync();
        await resolver.AskUdpAsync(RawDns.Query("nothing.fwd.test.", RecordType.A));
        var query = RawDns.Query("NoThInG.fWd.TeSt.", RecordType.A);

        var cached = await resolver.AskUdpAsync(query);

        Assert.That(cached.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(cached));
        Assert.That(cached.Questions.Single().Name.EqualsExactly(query.Questions[0].Name), Is.True, RawDns.Describe(cached));
        Assert.That(Upstream.QueriesFor("nothing.fwd.test."), Is.EqualTo(1));
    }

    [Test]
    public async Task Mixed_case_question_is_echoed_from_upstream_and_from_the_cache()
    {
        await using var resolver = await StartResolverAsync();
        var first = RawDns.Query("WwW.fWd.TeSt.", RecordType.A);
        var second = RawDns.Query("wwW.FWD.test.", RecordType.A);

        var forwarded = await resolver.AskUdpAsync(first);
        var cached = await resolver.AskUdpAsync(second);

        Assert.Multiple(() =>
        {
            Assert.That(forwarded.Questions.Single().Name.EqualsExactly(first.Questions[0].Name), Is.True, RawDns.Describe(forwarded));
            Assert.That(cached.Questions.Single().Name.EqualsExactly(second.Questions[0].Name), Is.True, RawDns.Describe(cached));
            Assert.That(cached.Answers, Has.Count.EqualTo(1));
            Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(1), "the second spelling is the same cache key (RFC 4343)");
        });
    }
}
