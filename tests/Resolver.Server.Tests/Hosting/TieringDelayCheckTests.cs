using Resolver.Server.Hosting;

namespace Resolver.Server.Tests.Hosting;

/// <summary>
/// Pinned to one CPU, the JIT's tier-up delay is ten times longer unless DOTNET_TC_DelaySingleProcMultiplier is
/// set, and misses run at half speed for the first minute: the service says so when started that way, and is
/// silent when the variable is set or it has more than one CPU.
/// </summary>
[NonParallelizable]
public class TieringDelayCheckTests
{
    [Test]
    public async Task A_service_pinned_to_one_cpu_without_the_knob_warns_about_its_slow_warm_up()
    {
        RequireTaskset();
        using var service = await ServiceProcess.StartAsync(["taskset", "-c", "0"], (TieringDelayCheck.Variable, ""));

        Assert.That(service.Output, Does.Contain($"The process has one CPU and {TieringDelayCheck.Variable} is not set"));
    }

    [Test]
    public async Task A_service_pinned_to_one_cpu_with_the_knob_set_does_not_warn()
    {
        RequireTaskset();
        using var service = await ServiceProcess.StartAsync(["taskset", "-c", "0"], (TieringDelayCheck.Variable, "1"));

        Assert.That(service.Output, Does.Not.Contain("The process has one CPU"));
    }

    [Test]
    public void Only_one_cpu_without_either_spelling_of_the_knob_needs_the_warning()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TieringDelayCheck.NeedsWarning(1, _ => null), Is.True);
            Assert.That(TieringDelayCheck.NeedsWarning(2, _ => null), Is.False);
            Assert.That(TieringDelayCheck.NeedsWarning(1, name => name == TieringDelayCheck.Variable ? "1" : null), Is.False);
            Assert.That(TieringDelayCheck.NeedsWarning(1, name => name == "COMPlus_TC_DelaySingleProcMultiplier" ? "1" : null), Is.False);
        });
    }

    private static void RequireTaskset()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/taskset"))
            Assert.Ignore("taskset (util-linux) pins the service to one CPU");
    }
}
