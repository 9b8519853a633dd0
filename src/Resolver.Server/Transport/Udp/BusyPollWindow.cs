using System.Diagnostics;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Whether a receive loop, having sent its answers, keeps polling the socket for a while before it sleeps, and for
/// how long. A sleeping loop pays for the wake-up on the next query: the scheduler's path, and on a virtual machine
/// the idle processor's exit, about 40 µs in all. At 20,000 queries/s on one core (scripts/bench.sh latency row,
/// README "Performance") a 200 µs window took p50 from 0.061 to 0.020 ms, at the price of keeping that core busy.
/// </summary>
/// <remarks>
/// Polling pays only when the next query comes within the window, so the loop polls only while the last wait was
/// that short: a busy loop polls, an idle one sleeps at once and costs nothing. The most polling can waste is one
/// window per wait that turned out longer; polling yields the processor between attempts, so other threads on the
/// same core (those finishing cache misses) still run.
/// </remarks>
internal sealed class BusyPollWindow
{
    private readonly long windowTicks;
    private bool lastWaitWasShort;

    /// <param name="microseconds">The window; 0 never polls.</param>
    public BusyPollWindow(int microseconds)
    {
        windowTicks = microseconds * Stopwatch.Frequency / 1_000_000;
    }

    /// <summary>True when the next wait should start by polling, for <see cref="WindowTicks"/> at most.</summary>
    public bool ShouldPoll => lastWaitWasShort;

    /// <summary>The window in <see cref="Stopwatch"/> ticks.</summary>
    public long WindowTicks => windowTicks;

    /// <summary>Records how long the loop waited for its last datagrams, polling and sleeping together.</summary>
    public void Waited(long ticks) => lastWaitWasShort = windowTicks > 0 && ticks <= windowTicks;
}
