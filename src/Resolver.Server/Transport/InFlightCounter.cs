namespace Resolver.Server.Transport;

/// <summary>
/// Counts queries handed to the handler and not yet answered, so a stop can wait for them (bounded)
/// and a TCP connection knows whether it is idle (RFC 7766 §6.2.3: idle means no query outstanding).
/// </summary>
internal sealed class InFlightCounter
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count;
    private volatile bool draining;

    public int Count => Volatile.Read(ref count);

    public void Enter() => Interlocked.Increment(ref count);

    public void Exit()
    {
        if (Interlocked.Decrement(ref count) == 0 && draining)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>Waits until nothing is in flight; false when the token ends the wait first.</summary>
    public async Task<bool> WaitUntilDrainedAsync(CancellationToken cancellationToken)
    {
        // Set the flag before reading the count: an Exit that races with us either sees the flag or
        // has already brought the count to 0, which we then read.
        draining = true;
        if (Count == 0)
        {
            return true;
        }

        try
        {
            await drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return Count == 0;
        }
    }
}
