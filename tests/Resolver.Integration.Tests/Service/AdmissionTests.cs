using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Fakes;

namespace Resolver.Integration.Tests.Service;

/// <summary>What the resolver does with queries it should not answer normally: errors, refusals, silence.</summary>
public sealed class AdmissionTests : ResolverFixture
{
    private static readonly TimeSpan SilenceWait = TimeSpan.FromMilliseconds(500);

    // www.local.test. A IN as wire bytes after the header.
    private static readonly byte[] Question = [3, .. "www"u8, 5, .. "local"u8, 4, .. "test"u8, 0, 0, 1, 0, 1];

    [Test]
    public async Task Garbage_after_the_header_is_answered_formerr()
    {
        await using var resolver = await StartResolverAsync();
        byte[] garbage = [0xC0, 0xFF, 0x3F, 0x01, 0x02, 0x99, 0x00];
        byte[] query = RawDns.Header(0x1234, 0x0100, questions: 1, garbage);

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, query);

        Assert.That(reply, Is.Not.Null, "a malformed query still gets an answer");
        var header = RawDns.Parse(reply!);
        Assert.Multiple(() =>
        {
            Assert.That(header.Id, Is.EqualTo(0x1234));
            Assert.That(header.IsResponse, Is.True);
            Assert.That(header.ResponseCode, Is.EqualTo(DnsResponseCode.FormErr), RawDns.Describe(header));
        });
    }

    [TestCase((ushort)0, TestName = "Query_without_a_question_is_answered_formerr")]
    [TestCase((ushort)2, TestName = "Query_with_two_questions_is_answered_formerr")]
    public async Task Query_with_other_than_one_question_is_answered_formerr(ushort questions)
    {
        await using var resolver = await StartResolverAsync();
        byte[] body = questions == 0 ? [] : [.. Question, .. Question];

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Header(0x3456, 0x0100, questions, body));

        Assert.That(reply, Is.Not.Null);
        var message = RawDns.Parse(reply!);
        Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.FormErr), RawDns.Describe(message));
        Assert.That(message.Id, Is.EqualTo(0x3456));
    }

    [TestCase(4, TestName = "Notify_opcode_is_answered_notimp")]
    [TestCase(5, TestName = "Update_opcode_is_answered_notimp")]
    public async Task Other_opcode_is_answered_notimp(int opcode)
    {
        await using var resolver = await StartResolverAsync();

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Header(0x4567, (ushort)(opcode << 11), questions: 1, Question));

        Assert.That(reply, Is.Not.Null);
        Assert.That(RawDns.Parse(reply!).ResponseCode, Is.EqualTo(DnsResponseCode.NotImp));
    }

    [Test]
    public async Task Status_opcode_is_answered_notimp()
    {
        await using var resolver = await StartResolverAsync();
        // Opcode 2 (STATUS) in bits 11-14 of the flags word, RD set.
        byte[] query = RawDns.Header(0x2345, (2 << 11) | 0x0100, questions: 1, Question);

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, query);

        Assert.That(reply, Is.Not.Null);
        var message = RawDns.Parse(reply!);
        Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.NotImp), RawDns.Describe(message));
        Assert.That(message.Id, Is.EqualTo(0x2345));
        Assert.That(message.Opcode, Is.EqualTo(DnsOpcode.Status), "RFC 1035 §4.1.1: the opcode is copied into the response");
    }

    [Test]
    public async Task Client_in_a_refused_range_gets_refused_without_upstream_traffic()
    {
        await using var resolver = await StartResolverAsync(("AccessControl:Rules:0", "127.0.0.0/8 refuse"));

        var local = await resolver.AskUdpAsync("www.local.test.", RecordType.A);
        var forwarded = await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);

        Assert.That(local.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), RawDns.Describe(local));
        Assert.That(local.Answers, Is.Empty);
        Assert.That(forwarded.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), RawDns.Describe(forwarded));
        Assert.That(Upstream.TotalQueries, Is.Zero);
    }

    [Test]
    public async Task Chaos_class_query_for_a_local_zone_is_refused()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.AskUdpAsync(RawDns.Query("www.local.test.", RecordType.A, recordClass: RecordClass.CH));

        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), RawDns.Describe(response));
        Assert.That(response.Answers, Is.Empty);
    }

    [Test]
    public async Task Client_in_a_dropped_range_gets_no_reply()
    {
        await using var resolver = await StartResolverAsync(("AccessControl:Rules:0", "127.0.0.0/8 drop"));

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("www.local.test.", RecordType.A).ToArray(), SilenceWait);

        Assert.That(reply, Is.Null, "dropped: nothing is sent back");
        Assert.That(Upstream.TotalQueries, Is.Zero);
    }

    [Test]
    public async Task Message_with_qr_set_is_not_answered()
    {
        await using var resolver = await StartResolverAsync();
        var response = RawDns.Query("www.local.test.", RecordType.A);
        response.IsResponse = true;

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, response.ToArray(), SilenceWait);
        var after = await resolver.AskUdpAsync("www.local.test.", RecordType.A);

        Assert.That(reply, Is.Null, "a response is never answered (no reflection loops)");
        Assert.That(after.Answers, Has.Count.EqualTo(1), "the server is still serving");
    }

    [Test]
    public async Task Client_over_its_rate_is_dropped_until_the_host_clock_refills_its_bucket()
    {
        // The host's clock moves only when told, so however slow the machine exactly the burst is answered
        // (timers stay real: the silence below is waited for on the wall clock).
        var clock = new ManualClock();
        await using var resolver = await StartResolverAsync(clock,
            ("RateLimit:QueriesPerSecond", "1"), ("RateLimit:Burst", "3"), ("RateLimit:ExemptLoopback", "false"));
        const int Sent = 12;

        var replies = await Task.WhenAll(Enumerable.Range(0, Sent).Select(_ =>
            RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("www.local.test.", RecordType.A).ToArray(), SilenceWait)));
        int answered = replies.Count(r => r is not null);
        var stillEmpty = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("www.local.test.", RecordType.A).ToArray(), SilenceWait);
        clock.Advance(TimeSpan.FromSeconds(1));
        var refilled = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("www.local.test.", RecordType.A).ToArray(), SilenceWait);

        Assert.That(answered, Is.EqualTo(3), $"{answered} of {Sent} answered: the burst");
        Assert.That(stillEmpty, Is.Null, "no time has passed on the host's clock: no token");
        Assert.That(refilled, Is.Not.Null, "a second on the host's clock refilled one token");
    }

    [Test]
    public async Task Loopback_client_is_exempt_from_the_rate_limit_by_default()
    {
        await using var resolver = await StartResolverAsync(("RateLimit:QueriesPerSecond", "1"), ("RateLimit:Burst", "1"));
        const int Sent = 8;

        var replies = await Task.WhenAll(Enumerable.Range(0, Sent).Select(_ =>
            RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("www.local.test.", RecordType.A).ToArray())));

        Assert.That(replies.Count(r => r is not null), Is.EqualTo(Sent));
    }

    [Test]
    public async Task Datagram_shorter_than_a_header_gets_no_reply()
    {
        await using var resolver = await StartResolverAsync();

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, [1, 2, 3, 4, 5], SilenceWait);
        var after = await resolver.AskUdpAsync("www.local.test.", RecordType.A);

        Assert.That(reply, Is.Null, "no ID to answer to: dropped");
        Assert.That(after.Answers, Has.Count.EqualTo(1), "the server is still serving");
    }
}
