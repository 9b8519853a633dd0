using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Resolver.Client.Upstreams;

namespace Resolver.Client.Transport.Streams;

/// <summary>
/// Opens the stream a TCP or TLS upstream is spoken to over: a TCP connect with its deadline, then for TLS the
/// handshake (RFC 7858 §3.1) with the upstream's certificate rules (<see cref="CertificateCheck"/>). One set of
/// client options per upstream, reused for every connection, so the runtime can resume the TLS session
/// (<see cref="SslClientAuthenticationOptions.AllowTlsResume"/>: a resumed handshake skips the certificate exchange).
/// </summary>
internal sealed class StreamConnector
{
    private readonly UpstreamEndpoint _upstream;
    private readonly CertificateCheck? _check;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly ClientMetrics _metrics;

    public StreamConnector(UpstreamEndpoint upstream, TlsTrust trust, ClientMetrics metrics)
    {
        _upstream = upstream;
        _metrics = metrics;
        if (upstream.Transport != UpstreamTransport.Tls)
            return;
        _check = new CertificateCheck(upstream, trust);
        _tls = new SslClientAuthenticationOptions
        {
            TargetHost = upstream.TargetHost,
            RemoteCertificateValidationCallback = _check.Callback,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            AllowTlsResume = true,
        };
    }

    public async Task<Stream> ConnectAsync(ExchangeOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(_upstream.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await TcpConnector.ConnectAsync(socket, _upstream.Address, options.TcpConnectTimeout, useAsync: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var network = new NetworkStream(socket, ownsSocket: true);
        if (_tls is null)
        {
            _metrics.ConnectionOpened("tcp");
            return network;
        }
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        using var deadline = new AttemptDeadline(options.TcpConnectTimeout, "TLS handshake", useAsync: true, cancellationToken);
        try
        {
            await tls.AuthenticateAsClientAsync(_tls, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is AuthenticationException or IOException or OperationCanceledException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            if (error is OperationCanceledException cancelled)
                throw deadline.Translate(cancelled);
            if (_check!.LastRejection is { } reason)
            {
                // RFC 8310 §5: a certificate that fails is a failure of this upstream, never a reason to speak in clear.
                _metrics.CertificateRejected(_upstream.Text);
                throw new UpstreamException(UpstreamFailureKind.TlsFailure, $"TLS with {_upstream}: {reason}", error);
            }
            throw new UpstreamException(UpstreamFailureKind.TlsFailure, $"TLS handshake with {_upstream} failed: {error.Message}", error);
        }
        _metrics.ConnectionOpened("tls");
        return tls;
    }
}
