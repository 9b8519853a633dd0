namespace Resolver.Server.Options;

/// <summary>Certificates of the encrypted transports (<c>Resolver:Tls</c>).</summary>
public sealed class TlsOptions
{
    /// <summary>PEM file of CAs trusted for tls:// and https:// upstreams beside the system store (<c>--tls-ca</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM certificate (chain) of the DoT/DoH listeners; read again on SIGHUP.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>A client that has not finished its TLS handshake by then is disconnected (it holds a connection slot).</summary>
    public int HandshakeTimeoutMs { get; set; } = 5000;
}
