using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using Resolver.Core.Pipeline;
using Resolver.Server.Options;
using Resolver.Server.Transport;

namespace Resolver.Server.Hosting;

/// <summary>The server's registrations: settings with their validation, the transport, its counters.</summary>
public static class ServerServices
{
    public static IServiceCollection AddResolverServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResolverOptions>()
            .Bind(configuration.GetSection(ResolverOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResolverOptions>, ResolverOptionsValidator>();
        services.PostConfigure<ResolverOptions>(options =>
        {
            // A relative zones folder is taken from the executable's folder, where appsettings.json also lives,
            // so the service finds the same files whatever its working directory.
            if (!string.IsNullOrWhiteSpace(options.ZonesDirectory))
            {
                options.ZonesDirectory = Path.GetFullPath(options.ZonesDirectory, AppContext.BaseDirectory);
            }
        });

        services.AddMetrics();
        services.TryAddSingleton<TransportMetrics>();
        services.TryAddSingleton<ListenerEndpoints>();
        // First, so the listeners' threads are created at the process's nice value.
        services.AddHostedService<ProcessPriorityService>();
        services.AddHostedService<TieringDelayCheck>();
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<SystemdReadiness>();
        services.TryAddSingleton<Transport.Encrypted.ServerCertificate>();
        services.AddHostedService<DnsListenerService>();
        services.AddHostedService<Transport.Encrypted.HttpsListenerService>();
        services.AddHostedService<Transport.Encrypted.CertificateReloadService>();
        return services;
    }

}
