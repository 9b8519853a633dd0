using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace Resolver.Server.Transport.Encrypted;

/// <summary>
/// The server side of a DoT handshake (RFC 7858 §3.1) with the current <see cref="ServerCertificate"/>, bounded by
/// <c>Resolver:Tls:HandshakeTimeoutMs</c>: a client that opens a connection and never finishes its handshake holds
/// its slot that long at most. The stream returned replaces the socket's for the connection's framing.
/// </summary>
internal sealed class TlsHandshake(ServerCertificate certificate, int timeoutMs)
{
    public async Task<Stream> AuthenticateAsync(Stream network, IPEndPoint client, CancellationToken cancellationToken)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeoutMs);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate.Current,
                ClientCertificateRequired = false,
                AllowTlsResume = true,
            }, limit.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new AuthenticationException($"TLS handshake with {client} did not complete: {e.Message}", e);
        }
        catch (AuthenticationException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
