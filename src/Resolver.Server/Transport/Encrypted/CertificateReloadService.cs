using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resolver.Server.Options;

namespace Resolver.Server.Transport.Encrypted;

/// <summary>Reads the listeners' certificate and key again on SIGHUP (beside the zones' reload), so renewal needs no restart.</summary>
internal sealed class CertificateReloadService(IOptions<ResolverOptions> options, ServerCertificate certificate) : IHostedService, IDisposable
{
    private PosixSignalRegistration? hangup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ResolverOptions settings = options.Value;
        if (settings.ListenTls.Count + settings.ListenHttps.Count > 0 && !OperatingSystem.IsWindows())
        {
            hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled: the default action of SIGHUP would end the process.
                context.Cancel = true;
                certificate.Reload();
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => hangup?.Dispose();
}
