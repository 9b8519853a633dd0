using System.Net.Sockets;
using DnsClient;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Service;

/// <summary>UDP and TCP as clients use them: truncation, two queries from one socket, pipelining, idle and connection limits.</summary>
public sealed class TransportTests : ResolverFixture
{
    [Test]
    public async Task Oversize_udp_answer_is_truncated_and_tcp_carries_it_whole()
    {
        await using var resolver = await StartResolverAsync();

        var withEdns = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("big.local.test.", RecordType.TXT, edns: true).ToArray());
        var withoutEdns = await RawDns.ExchangeUdpAsync(resolver.Udp, RawDns.Query("big.local.test.", RecordType.TXT).ToArray());
        var overTcp = await resolver.AskTcpAsync(RawDns.Query("big.local.test.", RecordType.TXT));

        Assert.That(withEdns, Is.Not.Null);
        Assert.That(withoutEdns, Is.Not.Null);
        var truncated = RawDns.Parse(withEdns!);
        var truncatedPlain = RawDns.Parse(withoutEdns!);
        Assert.Multiple(() =>
        {
            Assert.That(truncated.Truncated, Is.True, "TC over UDP with EDNS 1232: " + RawDns.Describe(truncated));
            Assert.That(withEdns!.Length, Is.LessThanOrEqualTo(1232));
            Assert.That(truncatedPlain.Truncated, Is.True, "TC over UDP without EDNS: " + RawDns.Describe(truncatedPlain));
            Assert.That(withoutEdns!.Length, Is.LessThanOrEqualTo(512), "RFC 1035 §4.2.1: 512 without EDNS");
            Assert.That(overTcp.Truncated, Is.False);
            Assert.That(overTcp.Answers, Has.Count.EqualTo(12), "the whole RRset over TCP: " + RawDns.Describe(overTcp));
        });
    }

    [Test]
    public async Task Forwarded_answer_larger_than_the_client_edns_size_is_truncated_for_it()
    {
        Upstream.On("big.fwd.test.", new NameBehaviour { TruncateOverUdp = true });
        await using var resolver = await StartResolverAsync();
        var query = RawDns.Query("big.fwd.test.", RecordType.TXT, edns: true);
        query.Edns!.UdpPayloadSize = 600;

        var reply = await RawDns.ExchangeUdpAsync(resolver.Udp, query.ToArray());
        var overTcp = await resolver.AskTcpAsync(RawDns.Query("big.fwd.test.", RecordType.TXT));

        Assert.That(reply, Is.Not.Null);
        var truncated = RawDns.Parse(reply!);
        Assert.That(truncated.Truncated, Is.True, RawDns.Describe(truncated));
        Assert.That(reply!.Length, Is.LessThanOrEqualTo(600), "RFC 6891 §7: within the client's advertised size");
        Assert.That(overTcp.Answers, Has.Count.EqualTo(12), "the TCP retry gets it whole: " + RawDns.Describe(overTcp));
        Assert.That(Upstream.TcpQueriesFor("big.fwd.test."), Is.EqualTo(1), "and from the cache: the upstream was asked over TCP once");
    }

    [Test]
    public async Task Client_falling_back_to_tcp_after_tc_gets_the_whole_answer()
    {
        await using var resolver = await StartResolverAsync();

        var response = await resolver.Client(tcpFallback: true).QueryAsync("big.local.test", QueryType.TXT);

        Assert.That(response.Answers.TxtRecords().Count(), Is.EqualTo(12), response.AuditTrail);
    }

    [TestCase("www.local.test.", TestName = "Two_queries_with_different_ids_from_one_udp_socket_are_both_answered_from_a_local_zone")]
    [TestCase("www.fwd.test.", TestName = "Two_queries_with_different_ids_from_one_udp_socket_are_both_answered_when_forwarded")]
    public async Task Two_queries_with_different_ids_from_one_udp_socket_are_both_answered(string name)
    {
        await using var resolver = await StartResolverAsync();
        using var socket = new Socket(resolver.Udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(resolver.Udp);
        // As glibc's resolver does: A and AAAA back to back from one socket, then read both.
        var a = RawDns.Query(name, RecordType.A);
        var aaaa = RawDns.Query(name, RecordType.AAAA);
        await socket.SendAsync(a.ToArray(), SocketFlags.None);
        await socket.SendAsync(aaaa.ToArray(), SocketFlags.None);

        var first = await RawDns.ReceiveAsync(socket, RawDns.DefaultWait);
        var second = await RawDns.ReceiveAsync(socket, RawDns.DefaultWait);

        Assert.That(first, Is.Not.Null, "first reply");
        Assert.That(second, Is.Not.Null, "second reply");
        var replies = new[] { RawDns.Parse(first!), RawDns.Parse(second!) }.ToDictionary(m => m.Id);
        Assert.That(replies.Keys, Is.EquivalentTo(new[] { a.Id, aaaa.Id }));
        Assert.That(replies[a.Id].Answers.Single().Type, Is.EqualTo(RecordType.A));
        Assert.That(replies[aaaa.Id].Answers.Single().Type, Is.EqualTo(RecordType.AAAA));
    }

    [Test]
    public async Task Pipelined_tcp_queries_are_answered_as_each_completes()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromMilliseconds(700) });
        await using var resolver = await StartResolverAsync();
        using var connection = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        var slow = RawDns.Query("www.fwd.test.", RecordType.A);
        var local = RawDns.Query("www.local.test.", RecordType.A);

        // RFC 7766 §6.2.1.1: both sent at once on one connection; the fast one must not wait for the slow one.
        await connection.SendAsync(slow.ToArray());
        await connection.SendAsync(local.ToArray());
        var first = await connection.ReceiveAsync(RawDns.DefaultWait);
        var second = await connection.ReceiveAsync(RawDns.DefaultWait);

        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.Not.Null);
        Assert.That(RawDns.Parse(first!).Id, Is.EqualTo(local.Id), "the local answer comes first: " + RawDns.Describe(RawDns.Parse(first!)));
        Assert.That(RawDns.Parse(second!).Id, Is.EqualTo(slow.Id));
        Assert.That(RawDns.Parse(second!).Answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Idle_tcp_connection_is_closed_after_the_idle_timeout()
    {
        await using var resolver = await StartResolverAsync(("Tcp:IdleTimeoutMs", "300"));
        using var connection = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        await connection.SendAsync(RawDns.Query("www.local.test.", RecordType.A).ToArray());
        Assert.That(await connection.ReceiveAsync(RawDns.DefaultWait), Is.Not.Null, "answered while active");

        // The default idle timeout is 10 s: closing within 4 s shows the setting took effect.
        Assert.That(await connection.WaitForCloseAsync(TimeSpan.FromSeconds(4)), Is.True, "server closed the idle connection");
    }

    [Test]
    public async Task New_connection_at_the_cap_closes_the_oldest_idle_one()
    {
        await using var resolver = await StartResolverAsync(("Tcp:MaxConnections", "2"));
        using var oldest = await OpenAnsweredAsync(resolver);
        using var newer = await OpenAnsweredAsync(resolver);

        using var third = await OpenAnsweredAsync(resolver);

        Assert.That(await oldest.WaitForCloseAsync(TimeSpan.FromSeconds(3)), Is.True, "the oldest idle connection makes room");
        await newer.SendAsync(RawDns.Query("www.local.test.", RecordType.A).ToArray());
        Assert.That(await newer.ReceiveAsync(RawDns.DefaultWait), Is.Not.Null, "the newer connection still serves");
    }

    [Test]
    public async Task New_connection_at_the_cap_is_closed_when_none_is_idle()
    {
        Upstream.On("www.fwd.test.", new NameBehaviour { Delay = TimeSpan.FromMilliseconds(1500) });
        await using var resolver = await StartResolverAsync(("Tcp:MaxConnections", "2"));
        using var busy1 = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        using var busy2 = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        var query1 = RawDns.Query("www.fwd.test.", RecordType.A);
        var query2 = RawDns.Query("www.fwd.test.", RecordType.A);
        await busy1.SendAsync(query1.ToArray());
        await busy2.SendAsync(query2.ToArray());
        await Upstream.WaitForQueriesAsync("www.fwd.test.", 1);

        using var third = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        await third.SendAsync(RawDns.Query("www.local.test.", RecordType.A).ToArray());
        var thirdReply = await third.ReceiveAsync(TimeSpan.FromMilliseconds(700));

        Assert.That(thirdReply, Is.Null, "a connection past the cap is not served while both others are busy");
        var reply1 = await busy1.ReceiveAsync(RawDns.DefaultWait);
        var reply2 = await busy2.ReceiveAsync(RawDns.DefaultWait);
        Assert.That(reply1 is null ? null : (ushort?)RawDns.Parse(reply1).Id, Is.EqualTo(query1.Id), "busy connections keep their queries");
        Assert.That(reply2 is null ? null : (ushort?)RawDns.Parse(reply2).Id, Is.EqualTo(query2.Id));
    }

    private static async Task<TcpDnsConnection> OpenAnsweredAsync(ResolverUnderTest resolver)
    {
        var connection = await TcpDnsConnection.OpenAsync(resolver.Tcp);
        await connection.SendAsync(RawDns.Query("www.local.test.", RecordType.A).ToArray());
        Assert.That(await connection.ReceiveAsync(RawDns.DefaultWait), Is.Not.Null, "a connection under the cap is served");
        return connection;
    }
}
