using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Server.Options;

namespace Resolver.Server.Transport.Encrypted;

/// <summary>
/// The certificate the DoT and DoH listeners present, read from the PEM files of <c>Resolver:Tls:CertificateFile</c>
/// and <c>KeyFile</c>. <see cref="Reload"/> (on SIGHUP) reads them again; a handshake always takes the current one,
/// so a renewed certificate needs no restart, and a bad new file keeps the old certificate (logged).
/// </summary>
internal sealed partial class ServerCertificate(IOptions<ResolverOptions> options, ILogger<ServerCertificate> logger)
{
    private X509Certificate2? current;

    /// <summary>The certificate for the next handshake; loaded on first use.</summary>
    public X509Certificate2 Current => Volatile.Read(ref current) ?? Load();

    public static bool TryLoad(string certificateFile, string keyFile, out X509Certificate2? certificate, out string? problem)
    {
        certificate = null;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problem = $"cannot read certificate '{certificateFile}' with key '{keyFile}': {e.Message}";
            return false;
        }

        if (!certificate.HasPrivateKey)
        {
            problem = $"key '{keyFile}' is not the private key of '{certificateFile}'";
            certificate.Dispose();
            certificate = null;
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Reads the files again; on failure the certificate in use stays.</summary>
    public void Reload()
    {
        TlsOptions tls = options.Value.Tls;
        if (TryLoad(tls.CertificateFile!, tls.KeyFile!, out X509Certificate2? loaded, out string? problem))
        {
            Interlocked.Exchange(ref current, loaded);
            LogReloaded(logger, loaded!.Subject, loaded.NotAfter);
        }
        else
        {
            LogReloadFailed(logger, problem!);
        }
    }

    private X509Certificate2 Load()
    {
        TlsOptions tls = options.Value.Tls;
        if (!TryLoad(tls.CertificateFile!, tls.KeyFile!, out X509Certificate2? loaded, out string? problem))
        {
            throw new InvalidOperationException(problem);
        }

        return Interlocked.CompareExchange(ref current, loaded, null) ?? loaded!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate not reloaded, the previous one stays: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
