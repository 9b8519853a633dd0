namespace Resolver.Server.Tests.Transport;

/// <summary>A thread that spins on one core until disposed, or for at most a given time: a CPU-bound neighbour.</summary>
internal sealed class CpuBoundNeighbour : IDisposable
{
    private readonly Thread thread;
    private volatile bool stop;

    private CpuBoundNeighbour(int core, TimeSpan atMost)
    {
        thread = new Thread(() =>
        {
            ProcThreads.Pin(0, core);
            long until = Environment.TickCount64 + (long)atMost.TotalMilliseconds;
            while (!stop && Environment.TickCount64 < until)
            {
                // spin: a neighbour that always wants the core
            }
        })
        { IsBackground = true, Name = "cpu-neighbour" };
        thread.Start();
    }

    /// <summary>Starts spinning on <paramref name="core"/>, for <paramref name="atMost"/> if not disposed sooner.</summary>
    public static CpuBoundNeighbour Start(int core, TimeSpan atMost) => new(core, atMost);

    public void Dispose()
    {
        stop = true;
        thread.Join();
    }
}
