using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Resolver.Server.Transport;
using Resolver.TestKit.Waiting;

namespace Resolver.Server.Tests.Transport;

public class TcpListenerTests
{
    [Test]
    public async Task Query_sent_one_byte_at_a_time_is_answered()
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler());
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        foreach (byte b in TestMessages.Framed(0x7777))
        {
            await client.SendAsync([b]);
            await Task.Delay(1);
        }

        byte[] answer = await client.ReceiveMessageAsync();
        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x7777), TestMessages.Hex(answer));
        Assert.That(answer[3] & 0x0F, Is.EqualTo(5), "RCODE REFUSED: " + TestMessages.Hex(answer));
    }

    [Test]
    public async Task Udp_and_tcp_of_one_listen_address_share_the_port()
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler());

        Assert.That(server.Tcp, Is.EqualTo(server.Udp), "a client falls back to TCP on the endpoint it asked over UDP");
    }

    [Test]
    public async Task Pipelined_queries_are_answered_as_each_completes()
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        await using TestServer server = await TestServer.StartAsync(handler);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await client.SendAsync([.. TestMessages.Framed(0x0001), .. TestMessages.Framed(0x0002)]);
        byte[] first = await client.ReceiveMessageAsync();
        slow.Release();
        byte[] second = await client.ReceiveMessageAsync();

        Assert.That(TestMessages.IdOf(first), Is.EqualTo(0x0002), "the second query waited for the first (RFC 7766 §6.2.1.1)");
        Assert.That(TestMessages.IdOf(second), Is.EqualTo(0x0001));
    }

    [Test]
    public async Task At_the_outstanding_cap_reading_pauses_until_a_query_completes()
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        await using TestServer server = await TestServer.StartAsync(handler, options => options.Tcp.MaxOutstandingPerConnection = 1);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await client.SendAsync([.. TestMessages.Framed(0x0001), .. TestMessages.Framed(0x0002)]);
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        bool answeredEarly = await client.ReceivesAnythingWithinAsync(TimeSpan.FromMilliseconds(300));
        slow.Release();
        byte[] first = await client.ReceiveMessageAsync();
        byte[] second = await client.ReceiveMessageAsync();

        Assert.That(answeredEarly, Is.False, "the second query was read past the cap of one outstanding query");
        Assert.That(TestMessages.IdOf(first), Is.EqualTo(0x0001));
        Assert.That(TestMessages.IdOf(second), Is.EqualTo(0x0002));
    }

    [Test]
    public async Task Idle_connection_is_closed_after_the_idle_timeout()
    {
        // The host's clock is the test's: the idle time passes when the test advances it, not on the wall clock.
        var clock = new FakeTimeProvider();
        await using TestServer server = await TestServer.StartAsync(new GatedHandler(), options => options.Tcp.IdleTimeoutMs = 200, clock: clock);
        using var metrics = new MetricsRecorder(server.Host);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await client.SendAsync(TestMessages.Framed(0x0009));
        await client.ReceiveMessageAsync();
        // The server notes the answer's send a moment after the client has read it: step the clock until the sweep
        // finds the connection idle rather than once (a single step could come before that note).
        await AdvanceUntilAsync(clock, () => metrics.Total(IdleClosed) >= 1);

        Assert.That(await client.IsClosedByServerAsync(), Is.True, "an idle connection stayed open");
        Assert.That(metrics.Total(IdleClosed), Is.EqualTo(1));
    }

    [Test]
    public async Task Connection_with_a_query_in_flight_is_not_closed_as_idle()
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        var clock = new FakeTimeProvider();
        await using TestServer server = await TestServer.StartAsync(handler, options => options.Tcp.IdleTimeoutMs = 400, clock: clock);
        using var metrics = new MetricsRecorder(server.Host);
        using TcpClientConnection idle = await ConnectAndAskAsync(server, 0x0002);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await client.SendAsync(TestMessages.Framed(0x0001));
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(1200));
        await AdvanceUntilAsync(clock, () => metrics.Total(IdleClosed) >= 1);
        Assert.That(await idle.IsClosedByServerAsync(), Is.True, "the sweep ran past the idle time: the idle witness is closed");
        slow.Release();
        byte[] answer = await client.ReceiveMessageAsync();

        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x0001), "the connection waiting for its answer was kept");
    }

    [Test]
    public async Task At_the_connection_cap_the_longest_idle_connection_is_closed_to_admit_a_new_one()
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler(), options => options.Tcp.MaxConnections = 2);
        // The server stamps a connection's activity just after the answer's send, which the client can read first:
        // under load the oldest's stamp could land after the newer's query. Wait for the server to be done each time.
        using TcpClientConnection oldest = await ConnectAndAskAsync(server, 0x0001);
        Assert.That(await Eventually.TrueWithinAsync(() => QueriesInFlight(server) == 0, Eventually.Patience), Is.True);
        using TcpClientConnection newer = await ConnectAndAskAsync(server, 0x0002);
        Assert.That(await Eventually.TrueWithinAsync(() => QueriesInFlight(server) == 0, Eventually.Patience), Is.True);

        using TcpClientConnection newcomer = await ConnectAndAskAsync(server, 0x0003);

        Assert.That(await oldest.IsClosedByServerAsync(), Is.True, "the longest idle connection was kept");
        await newer.SendAsync(TestMessages.Framed(0x0004));
        Assert.That(TestMessages.IdOf(await newer.ReceiveMessageAsync()), Is.EqualTo(0x0004), "the newer connection was closed too");
    }

    [Test]
    public async Task At_the_connection_cap_with_every_connection_busy_the_new_one_is_closed()
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        await using TestServer server = await TestServer.StartAsync(handler, options => options.Tcp.MaxConnections = 1);
        using TcpClientConnection busy = await TcpClientConnection.ConnectAsync(server.Tcp);
        await busy.SendAsync(TestMessages.Framed(0x0001));
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using TcpClientConnection newcomer = await TcpClientConnection.ConnectAsync(server.Tcp);

        Assert.That(await newcomer.IsClosedByServerAsync(), Is.True, "a connection past the cap stayed open");
        slow.Release();
        Assert.That(TestMessages.IdOf(await busy.ReceiveMessageAsync()), Is.EqualTo(0x0001), "the busy connection lost its answer");
    }

    [Test]
    public async Task Zero_length_frame_closes_the_connection()
    {
        await using TestServer server = await TestServer.StartAsync(new GatedHandler());
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await client.SendAsync([0, 0]);

        Assert.That(await client.IsClosedByServerAsync(), Is.True);
    }

    [Test]
    public async Task Answers_written_concurrently_do_not_interleave()
    {
        var handler = new GatedHandler();
        var gates = new List<GatedHandler.Gate>();
        for (ushort id = 1; id <= 20; id++)
        {
            gates.Add(handler.Hold(id));
        }

        await using TestServer server = await TestServer.StartAsync(handler);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);
        var all = new List<byte>();
        for (ushort id = 1; id <= 20; id++)
        {
            all.AddRange(TestMessages.Framed(id));
        }

        await client.SendAsync([.. all]);
        await Task.WhenAll(gates.Select(g => g.Entered.Task)).WaitAsync(TimeSpan.FromSeconds(10));
        Parallel.ForEach(gates, gate => gate.Release());
        var ids = new HashSet<int>();
        for (int i = 0; i < 20; i++)
        {
            byte[] answer = await client.ReceiveMessageAsync();
            Assert.That(answer[3] & 0x0F, Is.EqualTo(5), "a frame was corrupted: " + TestMessages.Hex(answer));
            ids.Add(TestMessages.IdOf(answer));
        }

        Assert.That(ids, Has.Count.EqualTo(20));
    }

    [Test]
    public async Task Answer_buffers_of_many_pipelined_queries_come_back_to_a_pool_and_are_reused()
    {
        // 200 queries held in flight at once on one connection, twice: the second round must find the first round's
        // 64 KiB answer buffers in the transport's pool. The shared pool keeps only a few dozen per size, so there
        // the second round allocated about 9 MB again (on the large-object heap).
        const int InFlight = 200;
        var handler = new GatedHandler();
        await using TestServer server = await TestServer.StartAsync(handler, options => options.Tcp.MaxOutstandingPerConnection = InFlight);
        using TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);

        await AskHeldRoundAsync(client, handler, firstId: 1, InFlight);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await AskHeldRoundAsync(client, handler, firstId: 1 + InFlight, InFlight);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(allocated, Is.LessThan(3_000_000), $"the second round allocated {allocated:N0} bytes: answer buffers were not reused");
    }

    private static async Task AskHeldRoundAsync(TcpClientConnection client, GatedHandler handler, int firstId, int count)
    {
        var gates = new List<GatedHandler.Gate>();
        var frames = new List<byte>();
        for (int id = firstId; id < firstId + count; id++)
        {
            gates.Add(handler.Hold((ushort)id));
            frames.AddRange(TestMessages.Framed((ushort)id));
        }

        await client.SendAsync([.. frames]);
        await Task.WhenAll(gates.Select(gate => gate.Entered.Task)).WaitAsync(TimeSpan.FromSeconds(20));
        gates.ForEach(gate => gate.Release());
        for (int i = 0; i < count; i++)
        {
            await client.ReceiveMessageAsync();
        }
    }

    private const string IdleClosed = "resolver.server.tcp.connections.closed|reason=idle";

    /// <summary>Moves the host's fake clock 50 ms at a time (at most 10 s of real time) until <paramref name="condition"/> holds.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition) =>
        Assert.That(await Eventually.TrueWithinAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            return condition();
        }, Eventually.Patience), Is.True, "not within 10 s of stepping the host's clock");

    private static int QueriesInFlight(TestServer server) =>
        server.Host.Services.GetServices<IHostedService>().OfType<DnsListenerService>().Single().QueriesInFlight;

    private static async Task<TcpClientConnection> ConnectAndAskAsync(TestServer server, ushort id)
    {
        TcpClientConnection client = await TcpClientConnection.ConnectAsync(server.Tcp);
        await client.SendAsync(TestMessages.Framed(id));
        Assert.That(TestMessages.IdOf(await client.ReceiveMessageAsync()), Is.EqualTo(id));
        return client;
    }
}
