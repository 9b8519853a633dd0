using System.Net;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;

namespace Resolver.Client.Tests;

/// <summary>
/// UDP sockets are reused for sequential queries to one server, one query at a time, and
/// replaced (new random port) after a number of queries, after an age, and after any failure.
/// </summary>
public class UdpSocketReuseTests : ExchangeFixture
{
    [Test]
    public async Task Sequential_queries_share_one_socket_until_max_queries_then_move_to_a_new_port([Values] bool sync)
    {
        using var server = FakeDnsServer.Start();
        using var exchange = new DnsExchange(udpSocketReuse: new UdpSocketReuse { MaxQueries = 5, MaxAge = TimeSpan.FromMinutes(1) });
        const int count = 20;

        for (int i = 0; i < count; i++)
            AssertAnswered(await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync));

        var ports = server.Queries.Select(q => q.Client.Port).ToArray();
        string shown = "ports: " + string.Join(",", ports);
        Assert.Multiple(() =>
        {
            // Runs of five on one port; a new socket could by chance get the port just closed, so
            // count the runs rather than distinct ports.
            for (int i = 0; i < count; i++)
            {
                if (i % 5 != 0)
                    Assert.That(ports[i], Is.EqualTo(ports[i - 1]), shown);
            }
            Assert.That(ports.Distinct().Count(), Is.GreaterThanOrEqualTo(3), shown);
        });
    }

    [Test]
    public async Task New_socket_per_query_gives_each_query_its_own_port()
    {
        using var server = FakeDnsServer.Start();
        using var exchange = new DnsExchange(udpSocketReuse: UdpSocketReuse.NewSocketPerQuery);
        const int count = 30;

        for (int i = 0; i < count; i++)
            await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: i % 2 == 0);

        var ports = server.Queries.Select(q => q.Client.Port).ToArray();
        Assert.That(ports.Distinct().Count(), Is.GreaterThanOrEqualTo(20), "ports: " + string.Join(",", ports));
    }

    [Test]
    public async Task Socket_older_than_max_age_is_not_used_again()
    {
        using var server = FakeDnsServer.Start();
        // Age on the exchange's clock: readings by hand, the receive deadlines still on real time.
        var clock = new ManualClock();
        using var exchange = new DnsExchange(timeProvider: clock, udpSocketReuse: new UdpSocketReuse { MaxAge = TimeSpan.FromSeconds(5) });

        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);

        var queries = server.Queries;
        Assert.That(queries[1].Client.Port, Is.EqualTo(queries[0].Client.Port), "4.9 s old: used again");
        Assert.That(queries[2].Client.Port, Is.Not.EqualTo(queries[0].Client.Port), "5 s old: closed, a new socket");
    }

    [Test]
    public async Task Late_duplicate_answer_left_on_a_reused_socket_is_discarded_by_id([Values] bool sync)
    {
        // The first answer is sent twice: the copy waits on the socket and is the first packet
        // the next query reads there. Its ID is the old one, so it must not be taken.
        int handled = 0;
        using var server = FakeDnsServer.Start(q => Interlocked.Increment(ref handled) == 1
            ? [FakeAnswers.Answer(q), FakeAnswers.Answer(q)]
            : [FakeAnswers.Answer(q, IPAddress.Parse("192.0.2.2"))]);

        await Run(server, sync);
        var second = await Run(server, sync);

        var queries = server.Queries;
        AssertAnswered(second, IPAddress.Parse("192.0.2.2"));
        Assert.Multiple(() =>
        {
            Assert.That(queries[1].Client.Port, Is.EqualTo(queries[0].Client.Port), "second query reused the socket");
            Assert.That(Recorder.Discarded(DiscardReason.WrongId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Answer_is_unchanged_after_the_same_socket_receives_the_next_answer([Values] bool sync)
    {
        // Answers are parsed in the socket's receive buffer, which the next query overwrites:
        // the first result must not share anything with that buffer. Its address is read only
        // after the second answer has arrived, since A records make the address when read.
        int handled = 0;
        var secondAddress = IPAddress.Parse("192.0.2.2");
        using var server = FakeDnsServer.Start(q => Interlocked.Increment(ref handled) == 1
            ? [FakeAnswers.Answer(q)]
            : [FakeAnswers.Answer(q, secondAddress)]);

        var first = await Run(server, sync);
        var second = await Run(server, sync);

        var queries = server.Queries;
        Assert.That(queries[1].Client.Port, Is.EqualTo(queries[0].Client.Port), "second query reused the socket");
        AssertAnswered(first);
        AssertAnswered(second, secondAddress);
    }

    [Test]
    public async Task Socket_of_a_timed_out_query_is_closed_and_the_next_query_uses_a_new_port([Values] bool sync)
    {
        int handled = 0;
        using var server = FakeDnsServer.Start(q => Interlocked.Increment(ref handled) == 1
            ? []
            : [FakeAnswers.Answer(q)]);
        var shortWait = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromMilliseconds(100) };

        var timeout = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, options: shortWait));
        var answer = await Run(server, sync);

        var queries = server.WaitForQueries(2);
        AssertAnswered(answer);
        Assert.Multiple(() =>
        {
            Assert.That(timeout!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout));
            Assert.That(queries[1].Client.Port, Is.Not.EqualTo(queries[0].Client.Port));
        });
    }

    [Test]
    public async Task Concurrent_queries_to_one_server_each_get_their_own_socket()
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.Answer(q) with { DelayBefore = TimeSpan.FromMilliseconds(100) }]);
        const int count = 4;

        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Run(server, sync: false)));

        foreach (var result in results)
            AssertAnswered(result);
        var ports = server.Queries.Select(q => q.Client.Port).ToArray();
        Assert.That(ports.Distinct().Count(), Is.EqualTo(count), "ports: " + string.Join(",", ports));
    }

    [Test]
    public void Blocking_exchange_on_a_reused_socket_allocates_little_beyond_the_answer()
    {
        using var server = FakeDnsServer.Start();
        var query = QueryA();
        Exchange.Exchange(server.EndPoint, query, FastOptions);
        Exchange.Exchange(server.EndPoint, query, FastOptions);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Exchange.Exchange(server.EndPoint, query, FastOptions);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertAnswered(result);
        // Release: about 300 bytes, all of them the answer (message, record, result); the
        // received bytes are parsed in the socket's buffer, not copied.
        // Debug builds add the async state machines, which the compiler makes classes there
        // (about 1,200 in all). A new socket per query cost about 1,400 more on top; the bound
        // catches that, or a receive buffer or linked token source per query.
        Assert.That(allocated, Is.LessThan(1600), $"{allocated} bytes allocated for one exchange");
    }

    [Test]
    public void Disposed_exchange_closes_its_idle_sockets()
    {
        using var server = FakeDnsServer.Start();
        var exchange = new DnsExchange();
        exchange.Exchange(server.EndPoint, QueryA(), FastOptions);
        int port = server.Queries[0].Client.Port;

        exchange.Dispose();

        // The port is free again: binding it succeeds only once the socket is closed.
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        Assert.DoesNotThrow(() => probe.Bind(new IPEndPoint(IPAddress.Loopback, port)));
    }
}
