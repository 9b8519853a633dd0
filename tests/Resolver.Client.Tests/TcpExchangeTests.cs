using System.Net;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using Resolver.TestKit.Fakes;

namespace Resolver.Client.Tests;

/// <summary>TCP per RFC 7766 and RFC 1035 §4.2.2: fallback on TC=1, length framing, partial reads, validation.</summary>
public class TcpExchangeTests : ExchangeFixture
{
    private static readonly IPAddress TcpAddress = IPAddress.Parse("198.51.100.7");

    [Test]
    public async Task Truncated_udp_answer_is_retried_over_tcp_and_the_tcp_answer_returned([Values] bool sync)
    {
        int tcpAnswerSize = 0;
        using var server = FakeDnsServer.Start(q =>
        {
            if (!q.OverTcp)
                return [FakeAnswers.Truncated(q)];
            var reply = FakeAnswers.Answer(q, TcpAddress);
            tcpAnswerSize = reply.Bytes.Length;
            return [reply];
        });

        var result = await Run(server, sync);

        AssertAnswered(result, TcpAddress);
        Assert.Multiple(() =>
        {
            Assert.That(result.UsedTcp, Is.True);
            Assert.That(result.Response.Truncated, Is.False);
            Assert.That(result.ResponseSize, Is.EqualTo(tcpAnswerSize), "size of the TCP answer, without its length prefix");
            Assert.That(server.UdpQueryCount, Is.EqualTo(1));
            Assert.That(server.TcpQueryCount, Is.EqualTo(1));
            Assert.That(Recorder.Total("resolver.client.tcp_fallbacks"), Is.EqualTo(1));
        });
        server.AssertNoErrors();
    }

    [Test]
    public async Task Udp_answer_longer_than_the_receive_space_is_retried_over_tcp([Values] bool sync)
    {
        // 400 A records: about 6.4 KB, more than the 4095 octets a UDP answer is taken at (and more than we
        // advertised), without TC=1. The kernel cuts it to the receive space; it must not be parsed as it is.
        using var server = FakeDnsServer.Start(q =>
        {
            var message = FakeAnswers.Response(q);
            var question = q.Message.Questions[0];
            for (int i = 0; i < 400; i++)
                message.Answers.Add(new DnsRecord(question.Name, RecordType.A, RecordClass.IN, 300, new ARecordData(new IPAddress(new byte[] { 10, 0, (byte)(i >> 8), (byte)i }))));
            var bytes = message.ToArray();
            if (!q.OverTcp)
                Assert.That(bytes.Length, Is.GreaterThan(PooledUdpSocketLimit));
            return [new FakeReply(bytes)];
        });

        var result = await Run(server, sync);

        Assert.Multiple(() =>
        {
            Assert.That(result.UsedTcp, Is.True, "the oversized UDP answer was not taken");
            Assert.That(result.Response.Answers, Has.Count.EqualTo(401));
            Assert.That(server.UdpQueryCount, Is.EqualTo(1));
            Assert.That(server.TcpQueryCount, Is.EqualTo(1));
        });
    }

    private const int PooledUdpSocketLimit = Transport.PooledUdpSocket.LargestAcceptedReply;

    [Test]
    public async Task Forced_tcp_asks_over_tcp_only([Values] bool sync)
    {
        using var server = FakeDnsServer.Start();

        var result = await Run(server, sync, QueryA() with { ForceTcp = true });

        AssertAnswered(result);
        Assert.That(result.UsedTcp, Is.True);
        Assert.That(server.UdpQueryCount, Is.Zero);
        Assert.That(server.TcpQueryCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Tcp_answer_split_into_one_byte_writes_is_reassembled([Values] bool sync)
    {
        using var server = FakeDnsServer.Start();
        server.TcpChunkSize = 1;

        var result = await Run(server, sync, QueryA() with { ForceTcp = true });

        AssertAnswered(result);
    }

    [Test]
    public async Task Tcp_frame_with_another_id_is_ignored_and_the_next_frame_accepted([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.WrongId(q), FakeAnswers.Answer(q)]);

        var result = await Run(server, sync, QueryA() with { ForceTcp = true });

        AssertAnswered(result);
        Assert.That(Recorder.Discarded(DiscardReason.WrongId), Is.EqualTo(1));
    }

    [Test]
    public void Tcp_connection_closed_in_the_middle_of_the_answer_is_a_network_error([Values] bool sync)
    {
        // The length prefix promises 100 octets; 10 arrive, then the server closes.
        using var server = FakeDnsServer.Start(q =>
            [new FakeReply([0, 100, .. q.Bytes[..10]]) { Unframed = true, ThenClose = true }]);

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, QueryA() with { ForceTcp = true }));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.NetworkError), failure.Message);
    }

    [Test]
    public void Truncated_answer_over_tcp_too_is_a_malformed_answer_not_an_empty_one([Values] bool sync)
    {
        // TC=1 over UDP and over TCP: passed on, the empty answer would look like NODATA and be cached.
        using var server = FakeDnsServer.Start(q => [FakeAnswers.Truncated(q)]);

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync));

        Assert.Multiple(() =>
        {
            Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.MalformedResponse), failure.Message);
            Assert.That(failure.Message, Does.Contain("over TCP is truncated"));
            Assert.That(server.TcpQueryCount, Is.EqualTo(1), "asked over TCP after the UDP TC=1");
        });
    }

    [Test]
    public async Task Tcp_query_is_sent_as_one_length_prefixed_message()
    {
        using var server = FakeDnsServer.Start();

        await Run(server, sync: false, QueryA() with { ForceTcp = true });

        var sent = server.Queries[0];
        Assert.That(sent.OverTcp, Is.True);
        Assert.That(sent.Message.Questions[0].Name, Is.EqualTo(Name), sent.ToString());
    }
}
