using System.Buffers.Binary;
using Resolver.Server.Tests.Transport;

namespace Resolver.Server.Tests.Hosting;

/// <summary>
/// Resolver:Nice sets the whole process's nice value, not the receive loops' alone: a loop above the thread pool
/// workers that finish cache misses starved them. Without the privilege for it (or for the receive buffer it asks
/// for), the service says what it could not get and serves anyway.
/// </summary>
[NonParallelizable]
public class ProcessPriorityTests
{
    [SetUp]
    public void LinuxOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("nice values and capabilities as tested here are Linux's");
        }
    }

    [Test]
    public async Task Every_thread_of_the_service_runs_at_the_configured_nice_value()
    {
        // A higher nice value than the test's needs no privilege, so this holds for any user.
        using var service = await ServiceProcess.StartAsync([], ("Resolver__Nice", "7"));
        await AssertAnswersAsync(service); // the loops, the socket engine and pool workers exist by now

        var threads = ProcThreads.NicesOf(service.Pid);

        Assert.That(threads, Has.Count.GreaterThan(5));
        Assert.That(threads.Where(thread => thread.Nice != 7), Is.Empty, "threads not at nice 7");
    }

    [Test]
    public async Task Nice_zero_leaves_the_process_as_it_was_started()
    {
        using var service = await ServiceProcess.StartAsync(["nice", "-n", "3"], ("Resolver__Nice", "0"));
        await AssertAnswersAsync(service);

        var threads = ProcThreads.NicesOf(service.Pid);

        Assert.That(threads.Where(thread => thread.Nice != 3), Is.Empty, "threads not at the nice value it was started with");
    }

    [Test]
    public async Task Without_the_privileges_it_asks_for_the_service_says_so_and_answers()
    {
        // As root, drop CAP_SYS_NICE and CAP_NET_ADMIN for the service, as an unprivileged user runs it.
        string[] launcher = Environment.UserName == "root"
            ? ["setpriv", "--bounding-set", "-sys_nice,-net_admin", "--inh-caps", "-sys_nice,-net_admin"]
            : [];
        int rmemMax = int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max").Trim());
        int asked = (int)Math.Min(2L * rmemMax + 65536, 256 * 1024 * 1024);
        using var service = await ServiceProcess.StartAsync(launcher,
            ("Resolver__Nice", "-5"), ("Resolver__Udp__ReceiveBufferBytes", asked.ToString()));

        await AssertAnswersAsync(service);

        Assert.That(service.Output, Does.Contain("The process keeps its nice value: setting -5 was refused (errno 13)"));
        Assert.That(service.Output, Does.Contain($"asked for {asked} bytes, the kernel granted"));
        Assert.That(ProcThreads.NicesOf(service.Pid).Where(thread => thread.Nice == -5), Is.Empty);
    }

    private static async Task AssertAnswersAsync(ServiceProcess service)
    {
        using var client = new UdpClientSocket(service.Udp);
        await client.SendAsync(TestMessages.Query(0x5151));
        byte[] answer = await client.ReceiveRequiredAsync();
        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x5151));
        Assert.That(answer[3] & 0x0F, Is.EqualTo(0), $"RCODE of the answer from the zone; the service wrote:\n{service.Output}");
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)), Is.EqualTo(1), "one A record");
    }
}
