using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Server.Options;

namespace Resolver.Server.Hosting;

/// <summary>
/// Gives the whole process the nice value of <c>Resolver:Nice</c> before the listeners start (Linux; elsewhere,
/// and at 0, the process is left as it was started). Refused for want of privilege, the service runs on at its
/// own value and says so once.
/// </summary>
internal sealed partial class ProcessPriorityService(IOptions<ResolverOptions> options, ILogger<ProcessPriorityService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        int nice = options.Value.Nice;
        if (nice != 0 && OperatingSystem.IsLinux() && !ProcessNice.TrySet(nice, out int errno))
        {
            NiceRefused(logger, nice, errno);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "The process keeps its nice value: setting {Nice} was refused (errno {Errno}); "
        + "it needs CAP_SYS_NICE or an RLIMIT_NICE that allows it (systemd LimitNICE=, docker --ulimit nice=), or set Resolver:Nice to 0")]
    private static partial void NiceRefused(ILogger logger, int nice, int errno);
}
