using System.Diagnostics;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Tests.Transport;

/// <summary>When a receive loop polls before it sleeps: only while the last wait was within the window.</summary>
public class BusyPollWindowTests
{
    private static long Microseconds(int us) => us * Stopwatch.Frequency / 1_000_000;

    [Test]
    public void A_new_loop_sleeps_at_once() =>
        Assert.That(new BusyPollWindow(100).ShouldPoll, Is.False, "no wait has been seen yet");

    [Test]
    public void A_wait_within_the_window_makes_the_next_wait_poll_for_the_window()
    {
        var window = new BusyPollWindow(100);

        window.Waited(Microseconds(40));

        Assert.That(window.ShouldPoll, Is.True);
        Assert.That(window.WindowTicks, Is.EqualTo(Microseconds(100)));
    }

    [Test]
    public void A_wait_longer_than_the_window_stops_polling_until_a_short_one_comes_again()
    {
        var window = new BusyPollWindow(100);
        window.Waited(Microseconds(40));

        window.Waited(Microseconds(5_000));
        bool afterLong = window.ShouldPoll;
        window.Waited(Microseconds(100));

        Assert.That(afterLong, Is.False, "an idle loop must not keep polling");
        Assert.That(window.ShouldPoll, Is.True, "a wait of exactly the window paid off");
    }

    [Test]
    public void A_window_of_zero_never_polls()
    {
        var window = new BusyPollWindow(0);

        window.Waited(0);

        Assert.That(window.ShouldPoll, Is.False);
    }
}
