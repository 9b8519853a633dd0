using System.Diagnostics;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Whether a receive loop, having sent its answers, keeps polling the socket for a while before it sleeps, and for
/// how long. A sleeping loop pays for the wake-up on the next query: the scheduler's path, and on a virtual machine
/// the idle processor's exit, about 40 µs in all. At 20,000 queries/s on one core (scripts/bench.sh latency row,
/// README "Performance") a 200 µs window took p50 from 0.061 to 0.020 ms, at the price of keeping that core busy.
/// </summary>
/// <remarks>
/// <para>
/// Polling spends the processor for as long as the wait lasts, to save one wake-up, so it is worth it only when
/// queries come fast: the loop polls while its idle time per datagram, smoothed over the last several waits, is at
/// most half the window (about 10,000 queries/s and up for the default 200 µs), and while its last wait was within
/// the window. A quiet or moderately busy loop sleeps at once, as it did without polling; after a long wait it
/// stops polling at once. The most polling can waste is one window per wait that turned out longer.
/// </para>
/// <para>
/// Polling yields the processor between attempts, so other threads on the same core (those finishing cache misses)
/// still run. But a thread that wants the core for long, another program's or our own, then takes it for a whole
/// scheduler slice at every yield, while the queries wait: with a CPU-bound neighbour on its core the loop answered
/// in 1.8 ms at p50 instead of 0.02 (20,000 queries/s), where a sleeping loop is woken ahead of such a neighbour and
/// answered in 0.03. So when the loop finds it was off the processor for longer than <see cref="LostCoreTicks"/>
/// between two attempts, it stops polling and sleeps, and polls again only after a pause: 50 ms at first, doubled
/// each time the core is lost again within 50 ms of polling resuming (the neighbour is still there), up to 2 s. A
/// loss later than that (this machine's kernel threads take the core for 0.5-5 ms about once a second) starts again
/// at 50 ms, so passing neighbours cost little polling.
/// </para>
/// </remarks>
internal sealed class BusyPollWindow
{
    // Weight of the newest wait in the smoothed idle time per datagram: 1/8, as TCP smooths its RTT (RFC 6298).
    private const int SmoothingShift = 3;

    /// <summary>
    /// Off the processor this long between two polls means another thread wanted the core: longer than an interrupt
    /// or a cache miss finishing (tens of µs), shorter than the scheduler's slice a CPU-bound thread gets (0.75 ms and
    /// up, sched/base_slice_ns).
    /// </summary>
    public static readonly long LostCoreTicks = Stopwatch.Frequency / 2_000; // 500 µs

    private static readonly long FirstPauseTicks = Stopwatch.Frequency / 20; // 50 ms
    private static readonly long LongestPauseTicks = Stopwatch.Frequency * 2;

    private readonly long windowTicks;
    private long idlePerDatagram;
    private bool lastWaitWasShort;
    private long pauseTicks; // 0 until polling first gave way
    private long pausedUntil;

    /// <param name="microseconds">The window; 0 never polls.</param>
    public BusyPollWindow(int microseconds)
    {
        windowTicks = microseconds * Stopwatch.Frequency / 1_000_000;
        idlePerDatagram = windowTicks; // not polling until the traffic has shown it is dense
    }

    /// <summary>The window in <see cref="Stopwatch"/> ticks.</summary>
    public long WindowTicks => windowTicks;

    /// <summary>
    /// True when the wait starting at <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp) should start by
    /// polling, for <see cref="WindowTicks"/> at most.
    /// </summary>
    public bool ShouldPoll(long now) =>
        lastWaitWasShort && idlePerDatagram <= windowTicks / 2 && (pauseTicks == 0 || now >= pausedUntil);

    /// <summary>
    /// Records how long the loop waited for its last datagrams, polling and sleeping together, and how many came
    /// (0 when the wait ended without any).
    /// </summary>
    public void Waited(long ticks, int datagrams)
    {
        lastWaitWasShort = windowTicks > 0 && ticks <= windowTicks;
        long perDatagram = ticks / Math.Max(datagrams, 1);
        idlePerDatagram += (perDatagram - idlePerDatagram) >> SmoothingShift;
    }

    /// <summary>
    /// Checks the time between two polling attempts (timestamps). True when the loop was off the processor for
    /// longer than <see cref="LostCoreTicks"/> between them: another thread wants this core, so the loop must stop
    /// polling and sleep; polling is paused from <paramref name="now"/>.
    /// </summary>
    public bool GaveWay(long previousAttempt, long now)
    {
        if (now - previousAttempt <= LostCoreTicks)
        {
            return false;
        }

        // Lost again soon after the last pause ended: the neighbour is still there, so back off further; otherwise
        // this is a new, perhaps passing, neighbour.
        bool stillThere = pauseTicks > 0 && now - pausedUntil < FirstPauseTicks;
        pauseTicks = stillThere ? Math.Min(pauseTicks * 2, LongestPauseTicks) : FirstPauseTicks;
        pausedUntil = now + pauseTicks;
        return true;
    }
}
