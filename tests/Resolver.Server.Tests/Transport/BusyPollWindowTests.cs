using System.Diagnostics;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Tests.Transport;

/// <summary>
/// When a receive loop polls before it sleeps: while its smoothed idle time per datagram is at most half the window
/// and its last wait was within the window, and not for a while after another thread took its core.
/// </summary>
public class BusyPollWindowTests
{
    // An arbitrary Stopwatch timestamp the tests count from.
    private const long Start = 1_000_000_000;

    private static long Microseconds(long us) => us * Stopwatch.Frequency / 1_000_000;

    private static long Milliseconds(long ms) => Microseconds(ms * 1000);

    private static BusyPollWindow AfterWaits(int windowMicroseconds, int waits, int waitMicroseconds, int datagrams)
    {
        var window = new BusyPollWindow(windowMicroseconds);
        for (int i = 0; i < waits; i++)
            window.Waited(Microseconds(waitMicroseconds), datagrams);
        return window;
    }

    [Test]
    public void A_new_loop_sleeps_at_once() =>
        Assert.That(new BusyPollWindow(200).ShouldPoll(Start), Is.False, "no wait has been seen yet");

    [Test]
    public void Dense_traffic_makes_the_loop_poll_for_the_window()
    {
        // 20 µs between single datagrams: 50,000 queries/s.
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);

        Assert.That(window.ShouldPoll(Start), Is.True);
        Assert.That(window.WindowTicks, Is.EqualTo(Microseconds(200)));
    }

    [Test]
    public void Moderate_traffic_sleeps_even_though_each_wait_is_within_the_window()
    {
        // 150 µs between single datagrams (about 6,700 queries/s): polling would keep the core busy to save a
        // wake-up every 150 µs, so the loop sleeps as it would without polling.
        var window = AfterWaits(200, waits: 100, waitMicroseconds: 150, datagrams: 1);

        Assert.That(window.ShouldPoll(Start), Is.False);
    }

    [Test]
    public void Datagrams_arriving_in_clumps_count_per_datagram()
    {
        // The same 150 µs waits, each bringing three datagrams: 20,000 queries/s.
        var window = AfterWaits(200, waits: 100, waitMicroseconds: 150, datagrams: 3);

        Assert.That(window.ShouldPoll(Start), Is.True);
    }

    [Test]
    public void One_long_wait_stops_polling_at_once_and_it_resumes_only_when_traffic_is_dense_again()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);

        window.Waited(Microseconds(250_000), 0); // a receive timeout: nothing for 250 ms
        bool afterIdle = window.ShouldPoll(Start);
        window.Waited(Microseconds(20), 1);
        bool afterOneShortWait = window.ShouldPoll(Start);
        for (int i = 0; i < 200; i++)
            window.Waited(Microseconds(20), 1);

        Assert.That(afterIdle, Is.False, "an idle loop must not keep polling");
        Assert.That(afterOneShortWait, Is.False, "one quick query after a long silence is not dense traffic");
        Assert.That(window.ShouldPoll(Start), Is.True, "dense again");
    }

    [Test]
    public void A_window_of_zero_never_polls()
    {
        var window = AfterWaits(0, waits: 20, waitMicroseconds: 0, datagrams: 1);

        Assert.That(window.ShouldPoll(Start), Is.False);
    }

    [Test]
    public void Short_gaps_between_attempts_do_not_give_way()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);

        bool gaveWay = window.GaveWay(Start, Start + BusyPollWindow.LostCoreTicks);

        Assert.That(gaveWay, Is.False, "an interrupt or a miss finishing is not a neighbour that wants the core");
        Assert.That(window.ShouldPoll(Start + BusyPollWindow.LostCoreTicks), Is.True);
    }

    [Test]
    public void Losing_the_core_for_long_pauses_polling_for_50_ms()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);
        long lost = Start + Milliseconds(3); // off the processor 3 ms between two attempts: a scheduler slice

        bool gaveWay = window.GaveWay(Start, lost);

        Assert.That(gaveWay, Is.True);
        Assert.That(window.ShouldPoll(lost + Milliseconds(49)), Is.False, "still paused");
        Assert.That(window.ShouldPoll(lost + Milliseconds(50)), Is.True, "the pause is over and traffic is still dense");
    }

    [Test]
    public void A_neighbour_that_stays_doubles_the_pause_up_to_two_seconds()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);
        long now = Start;
        var pauses = new List<long>();
        for (int i = 0; i < 8; i++)
        {
            // The core is lost again on the first poll after each pause.
            Assert.That(window.GaveWay(now, now + Milliseconds(3)), Is.True);
            now += Milliseconds(3);
            long resumes = now;
            while (!window.ShouldPoll(resumes))
                resumes += Milliseconds(1);
            pauses.Add((resumes - now) / Milliseconds(1));
            now = resumes;
        }

        Assert.That(pauses, Is.EqualTo(new long[] { 50, 100, 200, 400, 800, 1600, 2000, 2000 }));
    }

    [Test]
    public void A_neighbour_long_gone_starts_the_pauses_over()
    {
        var window = AfterWaits(200, waits: 20, waitMicroseconds: 20, datagrams: 1);
        window.GaveWay(Start, Start + Milliseconds(3)); // paused 50 ms
        long secondLoss = Start + Milliseconds(3 + 50 + 10);
        window.GaveWay(secondLoss - Milliseconds(3), secondLoss); // 10 ms after polling resumed: doubled to 100 ms

        long muchLater = secondLoss + Milliseconds(100 + 60); // 60 ms of polling undisturbed
        window.GaveWay(muchLater - Milliseconds(3), muchLater);

        Assert.That(window.ShouldPoll(secondLoss + Milliseconds(99)), Is.False, "the second pause was doubled");
        Assert.That(window.ShouldPoll(muchLater + Milliseconds(49)), Is.False);
        Assert.That(window.ShouldPoll(muchLater + Milliseconds(50)), Is.True, "a new neighbour gets the first pause again");
    }
}
