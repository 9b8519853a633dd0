using System.Net;
using System.Net.Sockets;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;

namespace Resolver.Client.Tests;

/// <summary>
/// RFC 5452 §9.1: only a reply from the queried address and port, with our ID and our question,
/// is the answer. Each bad packet below is sent first; the real answer follows a little later.
/// </summary>
public class ReplyValidationTests : ExchangeFixture
{
    private static readonly TimeSpan RealAnswerDelay = TimeSpan.FromMilliseconds(60);

    private static FakeReply Late(FakeReply reply) => reply with { DelayBefore = RealAnswerDelay };

    [Test]
    public async Task Spoofed_reply_from_another_port_is_ignored_and_the_real_reply_accepted([Values] bool sync, [Values] bool connectedSocket)
    {
        using var exchange = new DnsExchange { ConnectUdpSockets = connectedSocket };
        using var recorder = new MetricRecorder(exchange.Metrics);
        using var server = FakeDnsServer.Start(q =>
        [
            FakeAnswers.Answer(q, IPAddress.Parse("203.0.113.66")) with { FromOtherPort = true },
            Late(FakeAnswers.Answer(q)),
        ]);

        var result = await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync);

        AssertAnswered(result);
        // A connected socket lets the kernel drop the spoof; unconnected, the code must.
        Assert.That(recorder.Discarded(DiscardReason.WrongSource), Is.EqualTo(connectedSocket ? 0 : 1));
    }

    [Test]
    public async Task Spoofed_reply_from_another_port_over_ipv6_is_ignored_by_the_code_check()
    {
        if (!Socket.OSSupportsIPv6)
            Assert.Ignore("no IPv6 on this host");
        using var exchange = new DnsExchange { ConnectUdpSockets = false };
        using var recorder = new MetricRecorder(exchange.Metrics);
        using var server = FakeDnsServer.Start(q =>
        [
            FakeAnswers.Answer(q, IPAddress.Parse("203.0.113.66")) with { FromOtherPort = true },
            Late(FakeAnswers.Answer(q)),
        ], IPAddress.IPv6Loopback);

        var result = await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);

        AssertAnswered(result);
        Assert.That(recorder.Discarded(DiscardReason.WrongSource), Is.EqualTo(1));
    }

    [Test]
    public async Task Reply_with_another_id_is_ignored_and_the_right_one_accepted([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.WrongId(q), Late(FakeAnswers.Answer(q))]);

        var result = await Run(server, sync);

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.WrongId), Is.EqualTo(1));
    }

    [TestCase("other.example.test.", RecordType.A, RecordClass.IN)]
    [TestCase("www.example.test.", RecordType.AAAA, RecordClass.IN)]
    [TestCase("www.example.test.", RecordType.A, RecordClass.CH)]
    [TestCase("www.example.test.x.", RecordType.A, RecordClass.IN)]
    public async Task Reply_to_another_question_is_ignored(string name, RecordType type, RecordClass recordClass)
    {
        var other = new DnsQuestion(DnsName.Parse(name), type, recordClass);
        using var server = FakeDnsServer.Start(q => [FakeAnswers.ForQuestion(q, other), Late(FakeAnswers.Answer(q))]);

        var result = await Run(server, sync: false);

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.WrongQuestion), Is.EqualTo(1));
    }

    [Test]
    public async Task Reply_without_a_question_is_ignored()
    {
        using var server = FakeDnsServer.Start(q =>
        {
            var empty = new DnsMessage { Id = q.Message.Id, IsResponse = true, ResponseCode = DnsResponseCode.ServFail };
            return [new FakeReply(empty.ToArray()), Late(FakeAnswers.Answer(q))];
        });

        var result = await Run(server, sync: true);

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.WrongQuestion), Is.EqualTo(1));
    }

    [Test]
    public async Task Answer_repeating_the_question_in_other_letter_case_is_accepted()
    {
        var upper = new DnsQuestion(DnsName.Parse("WWW.Example.TEST."), RecordType.A);
        using var server = FakeDnsServer.Start(q => [FakeAnswers.ForQuestion(q, upper)]);

        var result = await Run(server, sync: false);

        Assert.That(result.Response.Questions[0].Name.EqualsExactly(upper.Name), Is.True);
        Assert.That(Recorder.Total("resolver.client.replies.discarded"), Is.Zero);
    }

    [Test]
    public async Task Garbage_before_the_answer_is_ignored([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q =>
        [
            FakeAnswers.Garbage(7),
            // A header that claims one question, then a name running off the end.
            new FakeReply([.. q.Bytes[..2], 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 63, (byte)'w']),
            Late(FakeAnswers.Answer(q)),
        ]);

        var result = await Run(server, sync);

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.Unparsable), Is.EqualTo(2));
    }

    [Test]
    public async Task Echoed_query_without_qr_bit_is_ignored()
    {
        using var server = FakeDnsServer.Start(q => [new FakeReply(q.Bytes), Late(FakeAnswers.Answer(q))]);

        var result = await Run(server, sync: false);

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.NotResponse), Is.EqualTo(1));
    }

    [Test]
    public void Matching_reply_that_fails_full_parsing_is_a_malformed_response([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.BrokenAfterQuestion(q)]);

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, QueryA() with { UseEdns = false }));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.MalformedResponse), failure.Message);
        Assert.That(failure.InnerException, Is.InstanceOf<DnsFormatException>());
        Assert.That(server.UdpQueryCount, Is.EqualTo(1));
    }
}
