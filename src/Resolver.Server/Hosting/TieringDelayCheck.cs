using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Resolver.Server.Hosting;

/// <summary>
/// Warns once at start when the process sees a single CPU (pinned with taskset or CPUAffinity=, or a container
/// limited to one CPU) and the JIT's single-processor delay is left at its default. The runtime then waits ten
/// times longer (1 s instead of 100 ms, restarted by every newly compiled method) before it promotes hot methods
/// to optimised code: measured on the sustained miss row of scripts/bench.sh, a process pinned to one core
/// answered 6,700 misses/s in its first 10 s and 11,700/s in the next, against 10,200 and 18,900/s with
/// <c>DOTNET_TC_DelaySingleProcMultiplier=1</c> (docs/performance.md). The runtime reads that knob only from the
/// environment (not from runtimeconfig.json), so the shipped unit, the Dockerfile and <c>dotnet run</c>'s
/// launch profile set it; this warning catches a process started some other way.
/// </summary>
internal sealed partial class TieringDelayCheck(ILogger<TieringDelayCheck> logger) : IHostedService
{
    public const string Variable = "DOTNET_TC_DelaySingleProcMultiplier";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (NeedsWarning(Environment.ProcessorCount, Environment.GetEnvironmentVariable))
            SlowWarmUp(logger, Variable);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when one CPU is all the process has and neither spelling of the knob is set.</summary>
    internal static bool NeedsWarning(int processorCount, Func<string, string?> environment) =>
        processorCount == 1
        && string.IsNullOrEmpty(environment(Variable))
        && string.IsNullOrEmpty(environment("COMPlus_TC_DelaySingleProcMultiplier"));

    [LoggerMessage(2, LogLevel.Warning, "The process has one CPU and {Variable} is not set: the JIT waits ten times longer before optimising "
        + "hot code, so the first minute or so answers cache misses at about half speed; set {Variable}=1 in the service's environment")]
    private static partial void SlowWarmUp(ILogger logger, string variable);
}
