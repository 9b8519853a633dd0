using System.Diagnostics;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>An upstream that loses, delays, spoofs, mangles, truncates or refuses: the client still gets the right answer, or a clear failure in time.</summary>
public sealed class UpstreamFaultTests : ResolverFixture
{
    [Test]
    public async Task Dropped_query_is_answered_by_a_retry_within_the_deadline()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { DropFirst = 1 });
        await using var resolver = await StartResolverAsync();
        var clock = Stopwatch.StartNew();

        var response = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.That(response.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.1"), RawDns.Describe(response));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "within the 3 s deadline");
        Assert.That(Upstream.QueriesFor("www.fwd.test."), Is.EqualTo(2), "one lost, one retried");
    }

    [Test]
    public async Task Slow_upstream_gets_servfail_with_ede_within_the_deadline()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromSeconds(4) });
        await using var resolver = await StartResolverAsync(("Forwarder:OverallDeadline", "00:00:01"));
        var clock = Stopwatch.StartNew();

        var response = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(4));
        var took = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(response));
            Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(2.5)), "answered at the 1 s deadline, not when the upstream finally replies");
            var ede = response.Edns?.Find<ExtendedErrorOption>();
            Assert.That(ede, Is.Not.Null, "RFC 8914 EDE says why: " + RawDns.Describe(response));
            Assert.That(ede?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.NoReachableAuthority));
        });
    }

    [Test]
    public async Task Slow_upstream_gets_plain_servfail_for_a_query_without_edns()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromSeconds(4) });
        await using var resolver = await StartResolverAsync(("Forwarder:OverallDeadline", "00:00:01"));

        var response = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A), TimeSpan.FromSeconds(4));

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(response));
        Assert.That(response.Edns, Is.Null);
    }

    [TestCase(nameof(NameBehaviour.WrongIdFirst), TestName = "Reply_with_a_wrong_id_is_ignored_and_the_real_answer_used")]
    [TestCase(nameof(NameBehaviour.FromOtherPortFirst), TestName = "Reply_from_another_port_is_ignored_and_the_real_answer_used")]
    [TestCase(nameof(NameBehaviour.GarbageFirst), TestName = "Garbage_reply_is_discarded_and_the_real_answer_used")]
    [TestCase(nameof(NameBehaviour.WrongQuestionFirst), TestName = "Reply_to_another_question_is_discarded_and_the_real_answer_used")]
    public async Task Bad_reply_before_the_real_one_is_not_used(string fault)
    {
        Upstream.On("www.fwd.test.", fault switch
        {
            nameof(NameBehaviour.WrongIdFirst) => new NameBehaviour { WrongIdFirst = true },
            nameof(NameBehaviour.FromOtherPortFirst) => new NameBehaviour { FromOtherPortFirst = true },
            nameof(NameBehaviour.GarbageFirst) => new NameBehaviour { GarbageFirst = true },
            _ => new NameBehaviour { WrongQuestionFirst = true },
        });
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);
        var cached = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(response));
            Assert.That(response.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }), "never the spoofed 203.0.113.66");
            Assert.That(cached.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }), "nor is it cached");
            Assert.That(response.Questions.Single().Name.ToString(), Is.EqualTo("www.fwd.test."));
        });
    }

    [Test]
    public async Task Truncated_upstream_reply_is_retried_over_tcp_for_the_full_answer()
    {
        Upstream.On("big.fwd.test.", new NameBehaviour { TruncateOverUdp = true });
        await using var resolver = await StartResolverAsync();

        var overTcp = await resolver.AskTcpAsync(RawDns.Query("big.fwd.test.", RecordType.TXT));

        Assert.Multiple(() =>
        {
            Assert.That(overTcp.Truncated, Is.False);
            Assert.That(overTcp.Answers, Has.Count.EqualTo(12), "the whole RRset, fetched over TCP: " + RawDns.Describe(overTcp));
            Assert.That(Upstream.UdpQueriesFor("big.fwd.test."), Is.EqualTo(1));
            Assert.That(Upstream.TcpQueriesFor("big.fwd.test."), Is.EqualTo(1), "RFC 7766 §5: TC=1 means ask again over TCP");
        });
    }

    [Test]
    public async Task Truncated_small_upstream_reply_is_retried_over_tcp_and_answered_over_udp()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { TruncateOverUdp = true });
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.That(response.Truncated, Is.False, RawDns.Describe(response));
        Assert.That(response.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }));
        Assert.That(Upstream.TcpQueriesFor("www.fwd.test."), Is.EqualTo(1));
    }

    [Test]
    public async Task Upstream_answering_formerr_to_edns_is_asked_again_without_opt()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { FormErrOnEdns = true });
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true));

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(response));
        Assert.That(response.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.1" }));
        Assert.That(response.Edns, Is.Not.Null, "the client asked with EDNS and still gets OPT from us");
        var received = Upstream.QueriesReceived("www.fwd.test.");
        Assert.That(received.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false }), "first with OPT, then without (RFC 6891 §7)");
    }

    [Test]
    public async Task Upstream_servfail_is_answered_servfail_with_ede()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Rcode = DnsResponseCode.ServFail });
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query("www.fwd.test.", RecordType.A, edns: true));

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(response));
        Assert.That(response.Edns?.Find<ExtendedErrorOption>(), Is.Not.Null, RawDns.Describe(response));
    }
}
