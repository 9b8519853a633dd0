using System.Runtime.InteropServices;

namespace Resolver.Server.Tests.Transport;

/// <summary>Threads as Linux shows them in /proc/PID/task: this process's found by name and pinned, any process's nice values read.</summary>
internal static class ProcThreads
{
    /// <summary>The ids of this process's threads named <paramref name="name"/> (the comm, 15 characters at most).</summary>
    public static List<int> Named(string name)
    {
        var found = new List<int>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            string? comm = TryRead(Path.Combine(task, "comm"));
            if (comm?.TrimEnd('\n') == name && int.TryParse(Path.GetFileName(task), out int tid))
            {
                found.Add(tid);
            }
        }

        return found;
    }

    /// <summary>Every thread of process <paramref name="pid"/> as "name: nice" (threads that ended meanwhile left out).</summary>
    public static List<(string Name, int Nice)> NicesOf(int pid)
    {
        var found = new List<(string, int)>();
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            string? comm = TryRead(Path.Combine(task, "comm"));
            if (comm is not null && NiceFromStat(TryRead(Path.Combine(task, "stat"))) is int nice)
            {
                found.Add((comm.TrimEnd('\n'), nice));
            }
        }

        return found;
    }

    private static int? NiceFromStat(string? stat)
    {
        if (stat is null)
        {
            return null;
        }

        // The fields after the command name, which is in parentheses and may contain spaces: state is field 3.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3]);
    }

    /// <summary>Pins the thread (0: the calling one) to one core.</summary>
    public static void Pin(int tid, int core)
    {
        ulong mask = 1UL << core;
        if (sched_setaffinity(tid, sizeof(ulong), ref mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity({tid}, core {core}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ref ulong mask);
}
