using System.Diagnostics;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Whether a receive loop, having sent its answers, keeps polling the socket for a while before it sleeps, and for
/// how long. A sleeping loop pays for the wake-up on the next query: the scheduler's path, and on a virtual machine
/// the idle processor's exit, about 40 µs in all. At 20,000 queries/s on one core (scripts/bench.sh latency row,
/// README "Performance") a 200 µs window took p50 from 0.061 to 0.020 ms, at the price of keeping that core busy.
/// </summary>
/// <remarks>
/// Polling spends the processor for as long as the wait lasts, to save one wake-up, so it is worth it only when
/// queries come fast: the loop polls while its idle time per datagram, smoothed over the last several waits, is at
/// most half the window (about 10,000 queries/s and up for the default 200 µs), and while its last wait was within
/// the window. A quiet or moderately busy loop sleeps at once, as it did without polling; after a long wait it
/// stops polling at once. The most polling can waste is one window per wait that turned out longer. Polling yields
/// the processor between attempts, so other threads on the same core (those finishing cache misses) still run.
/// </remarks>
internal sealed class BusyPollWindow
{
    // Weight of the newest wait in the smoothed idle time per datagram: 1/8, as TCP smooths its RTT (RFC 6298).
    private const int SmoothingShift = 3;

    private readonly long windowTicks;
    private long idlePerDatagram;
    private bool lastWaitWasShort;

    /// <param name="microseconds">The window; 0 never polls.</param>
    public BusyPollWindow(int microseconds)
    {
        windowTicks = microseconds * Stopwatch.Frequency / 1_000_000;
        idlePerDatagram = windowTicks; // not polling until the traffic has shown it is dense
    }

    /// <summary>True when the next wait should start by polling, for <see cref="WindowTicks"/> at most.</summary>
    public bool ShouldPoll => lastWaitWasShort && idlePerDatagram <= windowTicks / 2;

    /// <summary>The window in <see cref="Stopwatch"/> ticks.</summary>
    public long WindowTicks => windowTicks;

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
}
