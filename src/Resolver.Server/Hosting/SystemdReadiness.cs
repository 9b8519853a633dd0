using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Resolver.Server.Hosting;

/// <summary>
/// Tells the service manager (systemd <c>Type=notify</c>) when the service is ready and when it is stopping, through
/// the notification socket in <c>NOTIFY_SOCKET</c> (sd_notify(3)); without that variable it does nothing.
/// READY=1 goes out only after every hosted service has started: the zones are loaded and every listener is bound,
/// so a unit ordered after this one (<c>After=resolver.service</c>) finds port 53 answering. STOPPING=1 goes out as
/// soon as a stop begins. The notifier is Microsoft.Extensions.Hosting.Systemd's; it is driven from here rather
/// than from its SystemdLifetime because that lifetime only switches itself on when the parent process is systemd,
/// which no test can arrange, and the contract tested should be the one that runs.
/// </summary>
internal sealed class SystemdReadiness(ISystemdNotifier notifier) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
            notifier.Notify(ServiceState.Ready);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
            notifier.Notify(ServiceState.Stopping);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
