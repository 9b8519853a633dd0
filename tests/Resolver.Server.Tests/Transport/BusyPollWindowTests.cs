using System.Diagnostics;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Tests.Transport;

/// <summary>
/// When a receive loop polls before it sleeps: while its smoothed idle time per datagram is at most half the window
/// and its last wait was within the window.
/// </summary>
public class BusyPollWindowTests
{
    private static long Microseconds(int us) => us * Stopwatch.Frequency / 1_000_000;

    private static BusyPollWindow AfterWaits(int windowMicroseconds, int waits, int waitMicroseconds, int datagrams)
    {
        var window = new BusyPollWindow(windowMicroseconds);
        for (int i = 0; i < waits; i++)
            window.Waited(Microseconds(waitMicroseconds), datagrams);
        return window;
    }

    [Test]
    public void A_new_loop_sleeps_at_once() =>
        Assert.That(new BusyPollWindow(200).ShouldPoll, Is.False, "no wait has been seen yet");

    [Test]
    public void Dense_traffic_makes_the_loop_poll_for_the_window()
    {
        // 20 µs between single datagrams: 50,000 queries/s.
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);

        Assert.That(window.ShouldPoll, Is.True);
        Assert.That(window.WindowTicks, Is.EqualTo(Microseconds(200)));
    }

    [Test]
    public void Moderate_traffic_sleeps_even_though_each_wait_is_within_the_window()
    {
        // 150 µs between single datagrams (about 6,700 queries/s): polling would keep the core busy to save a
        // wake-up every 150 µs, so the loop sleeps as it would without polling.
        var window = AfterWaits(200, waits: 100, waitMicroseconds: 150, datagrams: 1);

        Assert.That(window.ShouldPoll, Is.False);
    }

    [Test]
    public void Datagrams_arriving_in_clumps_count_per_datagram()
    {
        // The same 150 µs waits, each bringing three datagrams: 20,000 queries/s.
        var window = AfterWaits(200, waits: 100, waitMicroseconds: 150, datagrams: 3);

        Assert.That(window.ShouldPoll, Is.True);
    }

    [Test]
    public void One_long_wait_stops_polling_at_once_and_it_resumes_only_when_traffic_is_dense_again()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);

        window.Waited(Microseconds(250_000), 0); // a receive timeout: nothing for 250 ms
        bool afterIdle = window.ShouldPoll;
        window.Waited(Microseconds(20), 1);
        bool afterOneShortWait = window.ShouldPoll;
        for (int i = 0; i < 200; i++)
            window.Waited(Microseconds(20), 1);

        Assert.That(afterIdle, Is.False, "an idle loop must not keep polling");
        Assert.That(afterOneShortWait, Is.False, "one quick query after a long silence is not dense traffic");
        Assert.That(window.ShouldPoll, Is.True, "dense again");
    }

    [Test]
    public void A_window_of_zero_never_polls()
    {
        var window = AfterWaits(0, waits: 20, waitMicroseconds: 0, datagrams: 1);

        Assert.That(window.ShouldPoll, Is.False);
    }
}
