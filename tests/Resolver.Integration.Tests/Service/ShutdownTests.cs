using System.Diagnostics;
using System.Net.Sockets;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Waiting;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// A stop closes the listening sockets at once, so the next process binds the same port immediately, and still
/// answers every query that was in flight: its answer if it comes within the grace period, else SERVFAIL.
/// </summary>
public sealed class ShutdownTests : ResolverFixture
{
    private static readonly TimeSpan UpstreamDelay = TimeSpan.FromMilliseconds(1500);

    [Test]
    public async Task A_successor_binds_the_port_at_once_and_the_query_in_flight_still_gets_its_answer()
    {
        Upstream.Add("slow IN A 192.0.2.7").On("slow.fwd.test.", new NameBehaviour { Delay = UpstreamDelay });
        Upstream.Add("next IN A 192.0.2.8");
        var first = await StartResolverAsync(("ShutdownGraceMs", "5000"));
        var port = first.Udp.Port;
        using var client = new Socket(first.Udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(first.Udp);
        await client.SendAsync(RawDns.Query("slow.fwd.test.", RecordType.A).ToArray(), SocketFlags.None);
        await WaitUntilAsync(() => Upstream.QueriesFor("slow.fwd.test.") > 0, "the slow query reached the upstream");

        var clock = Stopwatch.StartNew();
        var stopping = first.Host.StopAsync();
        // The successor: a second resolver on the very same UDP and TCP port, started while the first drains.
        ResolverUnderTest? second = null;
        Exception? lastRefusal = null;
        while (second is null && clock.Elapsed < UpstreamDelay)
        {
            try
            {
                second = await ResolverUnderTest.StartOnAsync($"127.0.0.1:{port}", Zones.Path, [Upstream.Address]);
            }
            catch (Exception e)
            {
                lastRefusal = e;
                await Task.Delay(20);
            }
        }
        var successorBoundAfter = clock.Elapsed;
        var late = await RawDns.ReceiveAsync(client, TimeSpan.FromSeconds(4));
        await stopping;
        await using var _ = first;

        Assert.That(second, Is.Not.Null, $"the port was still held {UpstreamDelay.TotalMilliseconds} ms into the stop: {lastRefusal?.Message}");
        await using (second!)
        {
            var next = await second.AskUdpAsync("next.fwd.test.", RecordType.A);
            Assert.Multiple(() =>
            {
                Assert.That(successorBoundAfter, Is.LessThan(UpstreamDelay), "bound before the in-flight answer came");
                Assert.That(late, Is.Not.Null, "the query in flight at the stop was answered, from the port it was sent to");
                var answer = RawDns.Parse(late!);
                Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(answer));
                Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.7" }));
                Assert.That(next.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.8" }), "the successor serves the port");
            });
        }
    }

    [Test]
    public async Task A_query_still_unanswered_when_the_grace_period_ends_gets_servfail_before_exit()
    {
        Upstream.Silent = true;
        await using var resolver = await StartResolverAsync(("ShutdownGraceMs", "300"), ("Forwarder:OverallDeadline", "00:00:05"));
        using var client = new Socket(resolver.Udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(resolver.Udp);
        await client.SendAsync(RawDns.Query("lost.fwd.test.", RecordType.A).ToArray(), SocketFlags.None);
        await WaitUntilAsync(() => Upstream.TotalQueries > 0, "the query reached the upstream");

        var clock = Stopwatch.StartNew();
        await resolver.Host.StopAsync();
        var stoppedAfter = clock.Elapsed;
        var reply = await RawDns.ReceiveAsync(client, TimeSpan.FromSeconds(1));

        Assert.That(reply, Is.Not.Null, "the query in flight was answered, not dropped");
        var message = RawDns.Parse(reply!);
        Assert.Multiple(() =>
        {
            Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail), RawDns.Describe(message));
            Assert.That(stoppedAfter, Is.LessThan(TimeSpan.FromSeconds(4)), "the stop waited the grace period, not the 5 s deadline");
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        if (!await Eventually.TrueWithinAsync(condition, TimeSpan.FromSeconds(5)))
            Assert.Fail("timed out waiting: " + what);
    }
}
