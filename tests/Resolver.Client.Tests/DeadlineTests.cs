using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resolver.TestKit.Fakes;

namespace Resolver.Client.Tests;

/// <summary>
/// Receive deadlines behave like SO_RCVTIMEO on a blocking socket, measured over the whole
/// attempt; the caller's token cancels promptly. Bounds are generous: a loaded 2-core CI box
/// must not fail these, yet a deadline that never fires or fires at once still does.
/// </summary>
public class DeadlineTests : ExchangeFixture
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    [Test]
    public void Silent_server_times_out_after_about_the_receive_timeout([Values] bool sync)
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { UdpReceiveTimeout = ShortTimeout };
        var clock = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, options: options));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout), failure.Message);
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(250)).And.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(server.WaitForQueries(1), Has.Count.EqualTo(1), "one attempt: retrying is the caller's job");
        Assert.That(Recorder.Total("resolver.client.failures", "timeout"), Is.EqualTo(1));
    }

    [Test]
    public void Stream_of_bad_packets_does_not_extend_the_attempt([Values] bool sync)
    {
        // 40 wrong-ID packets 100 ms apart would keep a per-packet timer alive for 4 s.
        using var server = FakeDnsServer.Start(q =>
            Enumerable.Range(0, 40).Select(_ => FakeAnswers.WrongId(q) with { DelayBefore = TimeSpan.FromMilliseconds(100) }));
        var options = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromMilliseconds(500) };
        var clock = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, options: options));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(Recorder.Discarded(Client.DiscardReason.WrongId), Is.GreaterThan(0));
    }

    [Test]
    public void Cancellation_ends_a_waiting_exchange_promptly()
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromSeconds(30) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        Assert.CatchAsync<OperationCanceledException>(
            async () => await Run(Exchange, server.EndPoint, QueryA(), options, sync: false, cancellation.Token));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Cancellation_during_tcp_read_is_not_reported_as_timeout()
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { TcpReadTimeout = TimeSpan.FromSeconds(30) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var cancelled = Assert.CatchAsync<OperationCanceledException>(
            async () => await Run(Exchange, server.EndPoint, QueryA() with { ForceTcp = true }, options, sync: false, cancellation.Token));

        Assert.That(cancelled!.CancellationToken, Is.EqualTo(cancellation.Token));
    }

    [Test]
    public void Tcp_server_that_never_answers_times_out_after_the_read_timeout([Values] bool sync)
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { TcpReadTimeout = ShortTimeout };
        var clock = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(server, sync, QueryA() with { ForceTcp = true }, options));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout), failure.Message);
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(250)).And.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(server.WaitForQueries(1).Single().OverTcp, Is.True);
    }

    [Test]
    public void Tcp_connect_that_gets_no_reply_times_out_after_the_connect_timeout([Values] bool sync)
    {
        // A listener that never accepts, its queue filled: Linux drops further SYNs, so a
        // connect neither completes nor fails, as with a host that has gone away.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var server = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = FillAcceptQueue(server);
        try
        {
            var options = new ExchangeOptions { TcpConnectTimeout = ShortTimeout };
            var clock = Stopwatch.StartNew();

            var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(Exchange, server, QueryA() with { ForceTcp = true }, options, sync));

            Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout), failure.Message);
            Assert.That(failure.Message, Does.Contain("connect"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            foreach (var filler in fillers)
                filler.Dispose();
        }
    }

    /// <summary>Opens connections until one does not complete at once (the accept queue is full).</summary>
    private static List<Socket> FillAcceptQueue(IPEndPoint server)
    {
        var fillers = new List<Socket>();
        for (int i = 0; i < 8; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(socket);
            if (!socket.ConnectAsync(server).Wait(TimeSpan.FromMilliseconds(200)))
                return fillers;
        }
        Assert.Ignore("could not fill the listen queue on this system");
        return fillers;
    }

    [Test]
    public void Closed_udp_port_fails_with_network_error([Values] bool sync)
    {
        // A connected UDP socket receives the ICMP port-unreachable as ECONNREFUSED.
        var closed = UnusedPort(SocketType.Dgram, ProtocolType.Udp);

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(Exchange, closed, QueryA(), FastOptions, sync));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.NetworkError), failure.Message);
    }

    [Test]
    public void Closed_tcp_port_fails_with_network_error([Values] bool sync)
    {
        var closed = UnusedPort(SocketType.Stream, ProtocolType.Tcp);

        var failure = Assert.ThrowsAsync<UpstreamException>(() => Run(Exchange, closed, QueryA() with { ForceTcp = true }, FastOptions, sync));

        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.NetworkError), failure.Message);
    }

    private static IPEndPoint UnusedPort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
