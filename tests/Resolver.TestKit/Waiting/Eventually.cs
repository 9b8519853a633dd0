using System.Diagnostics;

namespace Resolver.TestKit.Waiting;

/// <summary>
/// Bounded polls for what a test cannot advance: a socket, a child process, a file watcher, work another thread
/// finishes. Each returns as soon as the condition holds (fast on a quiet machine) and gives up after the timeout
/// (so a slow one still passes and a broken one fails, never hangs). Time the code under test waits for itself (a
/// TTL, a refill, a cool-down) is not polled for: advance a fake clock instead (see README.md).
/// </summary>
public static class Eventually
{
    /// <summary>How long a test waits for another thread or process unless it says otherwise: long enough for a loaded CI machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> has passed (false), blocking.</summary>
    public static bool TrueWithin(Func<bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout)
                return false;
            Thread.Sleep(Poll);
        }
        return true;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> has passed (false).</summary>
    public static Task<bool> TrueWithinAsync(Func<bool> condition, TimeSpan timeout) =>
        TrueWithinAsync(() => Task.FromResult(condition()), timeout);

    /// <summary>Polls an asynchronous <paramref name="condition"/> (a query, say) until it holds or <paramref name="timeout"/> has passed.</summary>
    public static async Task<bool> TrueWithinAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
                return false;
            await Task.Delay(Poll);
        }
        return true;
    }
}
