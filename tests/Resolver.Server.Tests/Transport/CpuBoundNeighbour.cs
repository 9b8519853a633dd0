using System.Runtime.InteropServices;

namespace Resolver.Server.Tests.Transport;

/// <summary>
/// A thread that spins on one core until disposed (or for at most a given time), with helpers to pin this process's
/// own threads to that core (Linux only): how a test puts a CPU-bound neighbour beside a receive loop.
/// </summary>
internal sealed class CpuBoundNeighbour : IDisposable
{
    private readonly Thread thread;
    private volatile bool stop;

    private CpuBoundNeighbour(int core, TimeSpan atMost)
    {
        thread = new Thread(() =>
        {
            PinCurrentThread(core);
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

    /// <summary>Pins every thread of this process named <paramref name="name"/> to <paramref name="core"/>; returns how many.</summary>
    public static int PinThreadsNamed(string name, int core)
    {
        int pinned = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }

            if (comm == name && int.TryParse(Path.GetFileName(task), out int tid))
            {
                Pin(tid, core);
                pinned++;
            }
        }

        return pinned;
    }

    public void Dispose()
    {
        stop = true;
        thread.Join();
    }

    private static void PinCurrentThread(int core) => Pin(0, core);

    private static void Pin(int tid, int core)
    {
        ulong mask = 1UL << core;
        if (sched_setaffinity(tid, sizeof(ulong), ref mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity({tid}, core {core}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ref ulong mask);
}
