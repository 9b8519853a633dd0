using System.Net.Sockets;
using Resolver.Server.Options;
using Resolver.Server.Transport;
using Resolver.Server.Transport.Udp;
using Resolver.TestKit.Waiting;

namespace Resolver.Server.Tests.Transport;

public class UdpListenerTests
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task Udp_query_is_answered_to_the_senders_address_and_port([Values(1, 16)] int batchSize)
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler(), options => options.Udp.BatchSize = batchSize);
        using var client = new UdpClientSocket(server.Udp);

        await client.SendAsync(TestMessages.Query(0x1234));
        var received = await client.ReceiveAsync(TimeSpan.FromSeconds(10));

        Assert.That(received, Is.Not.Null, "no answer within 10 s");
        byte[] answer = received!.Value.Data;
        Assert.Multiple(() =>
        {
            Assert.That(received.Value.From, Is.EqualTo(server.Udp), "answered from the address queried");
            Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x1234), TestMessages.Hex(answer));
            Assert.That(answer[2] & 0x80, Is.EqualTo(0x80), "QR set: " + TestMessages.Hex(answer));
            Assert.That(answer[3] & 0x0F, Is.EqualTo(5), "RCODE REFUSED from the stand-in handler: " + TestMessages.Hex(answer));
        });
    }

    [Test]
    public async Task Ipv6_loopback_is_served_beside_ipv4_on_the_same_port()
    {
        if (!System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            Assert.Ignore("no IPv6 on this machine");
        }

        await using TestServer v4 = await TestServer.StartAsync(new GatedHandler());
        await using TestServer v6 = await TestServer.StartAsync(new GatedHandler(), listen: $"[::1]:{v4.Udp.Port}");
        using var client = new UdpClientSocket(v6.Udp);

        await client.SendAsync(TestMessages.Query(0x0606));

        Assert.That(TestMessages.IdOf(await client.ReceiveRequiredAsync()), Is.EqualTo(0x0606));
        Assert.That(v6.Udp.Port, Is.EqualTo(v4.Udp.Port));
    }

    [Test]
    public async Task Datagram_shorter_than_a_header_is_dropped_and_counted_and_the_next_query_is_answered()
    {
        var handler = new GatedHandler();
        await using TestServer server = await TestServer.StartAsync(handler);
        using var metrics = new MetricsRecorder(server.Host);
        using var client = new UdpClientSocket(server.Udp);

        await client.SendAsync([0x12, 0x34, 0x01, 0x00, 0x00]);
        await client.SendAsync(TestMessages.Query(0x0042));

        byte[] answer = await client.ReceiveRequiredAsync();
        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x0042), TestMessages.Hex(answer));
        Assert.That(await client.ReceiveAsync(Silence), Is.Null, "the short datagram got an answer");
        Assert.That(handler.Calls, Is.EqualTo(1), "the short datagram reached the handler");
        Assert.That(metrics.Total("resolver.server.queries.dropped|transport=udp|reason=too_short"), Is.EqualTo(1));
    }

    [Test]
    public async Task Datagram_over_the_configured_maximum_is_dropped_and_counted([Values(1, 16)] int batchSize)
    {
        // Batched, the receive slot is 513 octets: the kernel cuts the datagram and says so (MSG_TRUNC).
        var handler = new GatedHandler();
        await using TestServer server = await TestServer.StartAsync(handler, options =>
        {
            options.Udp.MaxDatagramSize = 512;
            options.Udp.BatchSize = batchSize;
        });
        using var metrics = new MetricsRecorder(server.Host);
        using var client = new UdpClientSocket(server.Udp);
        byte[] oversized = new byte[600];
        TestMessages.Query(0x0001).CopyTo(oversized, 0);

        await client.SendAsync(oversized);
        await client.SendAsync(TestMessages.Query(0x0002));

        byte[] answer = await client.ReceiveRequiredAsync();
        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x0002), TestMessages.Hex(answer));
        Assert.That(await client.ReceiveAsync(Silence), Is.Null, "the oversized datagram got an answer");
        Assert.That(metrics.Total("resolver.server.queries.dropped|transport=udp|reason=too_long"), Is.EqualTo(1));
    }

    [Test]
    public async Task Slow_answer_to_one_query_does_not_delay_another_on_the_same_loop([Values(1, 16)] int batchSize)
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        await using TestServer server = await TestServer.StartAsync(handler, options =>
        {
            options.Udp.ReceiveLoopsPerAddress = 1;
            options.Udp.BatchSize = batchSize;
        });
        using var client = new UdpClientSocket(server.Udp);

        await client.SendAsync(TestMessages.Query(0x0001));
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await client.SendAsync(TestMessages.Query(0x0002));
        byte[] first = await client.ReceiveRequiredAsync();
        slow.Release();
        byte[] second = await client.ReceiveRequiredAsync();

        Assert.That(TestMessages.IdOf(first), Is.EqualTo(0x0002), "the fast query waited for the slow one");
        Assert.That(TestMessages.IdOf(second), Is.EqualTo(0x0001), "the slow query was answered once released");
    }

    [Test]
    public async Task Handler_that_throws_does_not_stop_the_receive_loop([Values(1, 16)] int batchSize)
    {
        var handler = new GatedHandler { ThrowFor = 0x0BAD };
        await using TestServer server = await TestServer.StartAsync(handler, options =>
        {
            options.Udp.ReceiveLoopsPerAddress = 1;
            options.Udp.BatchSize = batchSize;
        });
        using var metrics = new MetricsRecorder(server.Host);
        using var client = new UdpClientSocket(server.Udp);

        await client.SendAsync(TestMessages.Query(0x0BAD));
        await client.SendAsync(TestMessages.Query(0x0600D));

        byte[] answer = await client.ReceiveRequiredAsync();
        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x600D), TestMessages.Hex(answer));
        Assert.That(metrics.Total("resolver.server.queries.dropped|transport=udp|reason=handler_error"), Is.EqualTo(1));
    }

    [Test]
    public async Task Answers_go_to_each_client_when_many_query_at_once([Values(1, 16)] int batchSize)
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler(), options => options.Udp.BatchSize = batchSize);
        var clients = new List<UdpClientSocket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                clients.Add(new UdpClientSocket(server.Udp));
            }

            for (int i = 0; i < clients.Count; i++)
            {
                await clients[i].SendAsync(TestMessages.Query((ushort)(100 + i)));
            }

            for (int i = 0; i < clients.Count; i++)
            {
                byte[] answer = await clients[i].ReceiveRequiredAsync();
                Assert.That(TestMessages.IdOf(answer), Is.EqualTo(100 + i), $"client {i} got another client's answer");
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task Burst_of_queries_from_one_client_is_answered_in_full([Values(1, 16)] int batchSize)
    {
        // Sent before any answer is read, so a batched loop takes several datagrams per call and answers
        // them with one send: every ID must come back exactly once, to this client.
        const int burst = 200;
        await using TestServer server = await TestServer.StartAsync(new GatedHandler(), options =>
        {
            options.Udp.ReceiveLoopsPerAddress = 1;
            options.Udp.BatchSize = batchSize;
        });
        using var metrics = new MetricsRecorder(server.Host);
        using var client = new UdpClientSocket(server.Udp);

        for (int i = 0; i < burst; i++)
            await client.SendAsync(TestMessages.Query((ushort)(1000 + i)));
        var ids = new List<int>();
        for (int i = 0; i < burst; i++)
            ids.Add(TestMessages.IdOf(await client.ReceiveRequiredAsync()));

        Assert.That(ids, Is.EquivalentTo(Enumerable.Range(1000, burst)));
        Assert.That(metrics.Total("resolver.server.responses.sent|transport=udp"), Is.EqualTo(burst));
    }

    [Test]
    public async Task Burst_that_arrives_while_the_loop_is_stalled_is_queued_not_dropped([Values(1, 16)] int batchSize)
    {
        // 2,000 queries arrive while the only receive loop is stuck in a handler. Linux's default receive buffer
        // (212,992 octets) holds a few hundred of them on loopback; the configured 4 MiB holds them all.
        const int burst = 2000;
        const int bufferBytes = 4 * 1024 * 1024;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            if (UdpReceiveBuffer.Apply(probe, bufferBytes) < bufferBytes)
            {
                Assert.Ignore("this process may not raise SO_RCVBUF to 4 MiB (no CAP_NET_ADMIN, low net.core.rmem_max)");
            }
        }

        var handler = new GatedHandler();
        GatedHandler.Gate stall = handler.BlockThread(0x0001);
        await using TestServer server = await TestServer.StartAsync(handler, options =>
        {
            options.Udp.ReceiveLoopsPerAddress = 1;
            options.Udp.BatchSize = batchSize;
            options.Udp.ReceiveBufferBytes = bufferBytes;
        });
        using var client = new UdpClientSocket(server.Udp);

        await client.SendAsync(TestMessages.Query(0x0001));
        await stall.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (int i = 0; i < burst; i++)
            await client.SendAsync(TestMessages.Query((ushort)(1000 + i)));
        stall.Release();
        await Eventually.TrueWithinAsync(() => handler.Calls >= burst + 1, TimeSpan.FromSeconds(10));

        Assert.That(handler.Calls, Is.EqualTo(burst + 1), "queries the kernel dropped while the loop was stalled");
    }

    [Test]
    public async Task Queries_that_follow_each_other_closely_are_found_by_polling_not_by_waking_up()
    {
        // Each query is sent as soon as the previous answer is read: well within a 1 ms window.
        await using OneLoop loop = await OneLoop.StartAsync(UdpListenerOptions.LargestBusyPoll);

        await AskOneAfterAnotherAsync(loop.Client, 200, pause: TimeSpan.Zero);

        Assert.That(Waits(loop.Metrics, TransportTags.Polled), Is.GreaterThan(0), "no query was found by polling");
    }

    [Test]
    public async Task Queries_far_apart_are_waited_for_asleep_without_polling()
    {
        // 30 ms between queries, far past the 1 ms window: polling would only burn the processor.
        await using OneLoop loop = await OneLoop.StartAsync(UdpListenerOptions.LargestBusyPoll);

        await AskOneAfterAnotherAsync(loop.Client, 10, pause: TimeSpan.FromMilliseconds(30));

        AssertNeverPolled(loop.Metrics, sleepsAtLeast: 10);
    }

    [Test]
    public async Task A_loop_beside_a_cpu_bound_neighbour_stops_polling()
    {
        // A polling loop yields between attempts; a neighbour that always wants the core then takes it for a whole
        // scheduler slice each time (4 ms at HZ=250) while the queries wait: about 1 ms per query here, against
        // 0.1 ms for a loop that sleeps and is woken ahead of the neighbour. So beside such a neighbour the loop must
        // stop polling: it gives way when a poll loses the core (gave_way), or the long waits the neighbour causes
        // keep it from polling at all. Either way polls find very few of the queries: measured 0.1 %, where a loop
        // that kept polling found 15-18 %.
        await using OneLoop loop = await OneLoop.StartAsync(UdpListenerOptions.LargestBusyPoll);
        await AskOneAfterAnotherAsync(loop.Client, 200, pause: TimeSpan.Zero);
        Assert.That(Waits(loop.Metrics, TransportTags.Polled), Is.GreaterThan(0), "dense traffic alone must make the loop poll");
        const int core = 0;
        List<int> loops = ProcThreads.Named(UdpReceiveLoop.ThreadName);
        Assert.That(loops, Is.Not.Empty, "the loop's thread");
        loops.ForEach(tid => ProcThreads.Pin(tid, core));
        long polledBefore = Waits(loop.Metrics, TransportTags.Polled);

        int asked;
        using (CpuBoundNeighbour.Start(core, atMost: TimeSpan.FromSeconds(10)))
        {
            asked = await AskForAsync(loop.Client, TimeSpan.FromSeconds(1));
        }

        long polled = Waits(loop.Metrics, TransportTags.Polled) - polledBefore;
        Assert.That(polled, Is.LessThan(asked / 50),
            $"{asked} queries beside the neighbour, {polled} found by polling, {Waits(loop.Metrics, TransportTags.GaveWay)} polls gave way");
    }

    [Test]
    public async Task Busy_poll_of_zero_never_polls()
    {
        await using OneLoop loop = await OneLoop.StartAsync(busyPollMicroseconds: 0);

        await AskOneAfterAnotherAsync(loop.Client, 100, pause: TimeSpan.Zero);

        AssertNeverPolled(loop.Metrics, sleepsAtLeast: 100);
    }

    // One receive loop with the given busy-poll window, its counters and a client. Polling is part of the recvmmsg
    // loop (64-bit Linux, BatchSize above 1, the default).
    private sealed class OneLoop : IAsyncDisposable
    {
        private OneLoop(TestServer server)
        {
            Server = server;
            Metrics = new MetricsRecorder(server.Host);
            Client = new UdpClientSocket(server.Udp);
        }

        public TestServer Server { get; }

        public MetricsRecorder Metrics { get; }

        public UdpClientSocket Client { get; }

        public static async Task<OneLoop> StartAsync(int busyPollMicroseconds)
        {
            if (!LinuxDatagramCalls.IsSupported)
            {
                Assert.Ignore("the batched receive loop runs on 64-bit Linux only");
            }

            return new OneLoop(await TestServer.StartAsync(new GatedHandler(), options =>
            {
                options.Udp.ReceiveLoopsPerAddress = 1;
                options.Udp.BusyPollMicroseconds = busyPollMicroseconds;
            }));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            Metrics.Dispose();
            await Server.DisposeAsync();
        }
    }

    // Each query is sent once the previous one is answered (after the pause), and must be answered.
    private static async Task AskOneAfterAnotherAsync(UdpClientSocket client, int count, TimeSpan pause)
    {
        for (int i = 0; i < count; i++)
        {
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }

            await client.SendAsync(TestMessages.Query((ushort)i));
            Assert.That(TestMessages.IdOf(await client.ReceiveRequiredAsync()), Is.EqualTo(i));
        }
    }

    // Asks one query after another, each answered, for about the given time; returns how many.
    private static async Task<int> AskForAsync(UdpClientSocket client, TimeSpan duration)
    {
        long until = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        int asked = 0;
        while (Environment.TickCount64 < until)
        {
            await AskOneAfterAnotherAsync(client, 10, pause: TimeSpan.Zero);
            asked += 10;
        }

        return asked;
    }

    private static long Waits(MetricsRecorder metrics, string outcome) =>
        metrics.Total($"resolver.server.udp.receive.waits|outcome={outcome}");

    private static void AssertNeverPolled(MetricsRecorder metrics, int sleepsAtLeast) =>
        Assert.Multiple(() =>
        {
            Assert.That(Waits(metrics, TransportTags.Slept), Is.GreaterThanOrEqualTo(sleepsAtLeast));
            Assert.That(Waits(metrics, TransportTags.Polled), Is.EqualTo(0));
            Assert.That(Waits(metrics, TransportTags.SleptAfterPoll), Is.EqualTo(0), "polled while idle");
        });
}
