using System.Runtime.InteropServices;

namespace Resolver.Server.Hosting;

/// <summary>
/// The nice value of every thread of this process (Linux). setpriority acts on one thread there, and a new thread
/// takes the value of the thread that creates it; so once every thread that exists has the value, every thread
/// created later (thread pool workers, the socket engine's, the runtime's) gets it too.
/// </summary>
internal static partial class ProcessNice
{
    private const int PrioProcess = 0; // <sys/resource.h>: with a thread id, just that thread

    // A thread started during a pass may have been created by one not yet set; a second pass finds it.
    private const int Passes = 3;

    /// <summary>Sets <paramref name="nice"/> on every thread; false with the errno of the first refusal.</summary>
    public static bool TrySet(int nice, out int errno)
    {
        errno = 0;
        var done = new HashSet<int>();
        for (int pass = 0; pass < Passes; pass++)
        {
            bool foundNew = false;
            foreach (int tid in ThreadIds())
            {
                if (!done.Add(tid))
                {
                    continue;
                }

                foundNew = true;
                if (setpriority(PrioProcess, tid, nice) != 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    const int NoSuchThread = 3; // ESRCH: it ended after it was listed
                    if (error != NoSuchThread)
                    {
                        errno = error;
                        return false;
                    }
                }
            }

            if (!foundNew)
            {
                break;
            }
        }

        return true;
    }

    private static IEnumerable<int> ThreadIds()
    {
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), out int tid))
            {
                yield return tid;
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);
}
