using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Resolver.Client.Upstreams;

namespace Resolver.Client.Transport.Streams;

/// <summary>
/// DNS over HTTPS to one upstream (RFC 8484): one <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/>
/// that keeps its connections, HTTP/2 (many queries multiplexed on one connection, RFC 8484 §5.2) with HTTP/1.1 when
/// the server's ALPN offers nothing better. POST with <c>application/dns-message</c>, or GET with <c>?dns=</c>
/// (base64url without padding, §4.1); the message ID is 0 (§4.1: it makes GET answers cacheable by HTTP caches, and
/// TLS already binds the answer to the request). The certificate rules are those of DoT (<see cref="CertificateCheck"/>).
/// </summary>
internal sealed class HttpsTransport : IDisposable
{
    private const string DnsMessage = "application/dns-message";
    private static readonly MediaTypeHeaderValue DnsMessageType = new(DnsMessage);

    private readonly UpstreamEndpoint _upstream;
    private readonly CertificateCheck _check;
    private readonly HttpClient _client;
    private readonly ClientMetrics _metrics;

    public HttpsTransport(UpstreamEndpoint upstream, ConnectionReuse reuse, ExchangeOptions options, ClientMetrics metrics)
    {
        _upstream = upstream;
        _metrics = metrics;
        _check = new CertificateCheck(upstream, reuse.Trust);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = reuse.IdleTimeout,
            ConnectTimeout = options.TcpConnectTimeout,
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = _check.Callback,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                AllowTlsResume = true,
            },
        };
        if (upstream.HasAddress && upstream.Uri!.HostNameType == UriHostNameType.Dns)
            handler.ConnectCallback = ConnectToBootstrapAsync;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>A host given by name with a bootstrap address: connect there, keep the name for SNI, Host and the certificate.</summary>
    private async ValueTask<Stream> ConnectToBootstrapAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(_upstream.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_upstream.Address, cancellationToken).ConfigureAwait(false);
            _metrics.ConnectionOpened("https");
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<AcceptedReply> ExchangeAsync(OutgoingQuery query, UpstreamQuery question, ExchangeOptions options, CancellationToken cancellationToken)
    {
        using var deadline = new AttemptDeadline(options.TcpConnectTimeout + options.TcpReadTimeout, "HTTPS exchange", useAsync: true, cancellationToken);
        using var request = CreateRequest(query);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new UpstreamException(UpstreamFailureKind.NetworkError, $"{_upstream} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            if (!string.Equals(response.Content.Headers.ContentType?.MediaType, DnsMessage, StringComparison.OrdinalIgnoreCase))
                throw new UpstreamException(UpstreamFailureKind.MalformedResponse,
                    $"{_upstream} answered with content type '{response.Content.Headers.ContentType}', not {DnsMessage}");
            return await ReadAnswerAsync(response, question, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled)
        {
            throw deadline.Translate(cancelled);
        }
        catch (HttpRequestException error)
        {
            if (FindAuthenticationError(error) is not null)
            {
                _metrics.CertificateRejected(_upstream.Text);
                string reason = _check.LastRejection ?? error.Message;
                throw new UpstreamException(UpstreamFailureKind.TlsFailure, $"TLS with {_upstream}: {reason}", error);
            }
            throw new UpstreamException(UpstreamFailureKind.NetworkError, $"HTTPS exchange with {_upstream} failed: {error.Message}", error);
        }
    }

    private HttpRequestMessage CreateRequest(OutgoingQuery query)
    {
        HttpRequestMessage request;
        if (_upstream.UseGet)
        {
            string dns = Base64Url.EncodeToString(query.Datagram.Span);
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(_upstream.Uri!.AbsoluteUri + "?dns=" + dns));
        }
        else
        {
            var content = new ReadOnlyMemoryContent(query.Datagram);
            content.Headers.ContentType = DnsMessageType;
            request = new HttpRequestMessage(HttpMethod.Post, _upstream.Uri) { Content = content };
        }
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DnsMessage));
        return request;
    }

    /// <summary>Reads the body (at most one DNS message, 65,535 octets) and checks it as any other answer, with ID 0.</summary>
    private async ValueTask<AcceptedReply> ReadAnswerAsync(HttpResponseMessage response, UpstreamQuery question, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + 1);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int length = 0;
            while (length < buffer.Length)
            {
                int read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                length += read;
            }
            if (length > ushort.MaxValue)
                throw new UpstreamException(UpstreamFailureKind.MalformedResponse, $"{_upstream} sent a body longer than a DNS message");
            var reply = buffer.AsSpan(0, length);
            if (ReplyMatcher.Check(reply, 0, question, out var header) is { } reason)
            {
                _metrics.Discarded(reason);
                throw new UpstreamException(UpstreamFailureKind.MalformedResponse, $"{_upstream} answered something else ({ClientMetrics.ReasonTag(reason)})");
            }
            if (header.Truncated)
                throw new UpstreamException(UpstreamFailureKind.MalformedResponse, $"answer from {_upstream} is truncated (TC=1)");
            return AcceptedReply.Parse(reply, header, question.Question);
        }
        catch (IOException error)
        {
            throw new UpstreamException(UpstreamFailureKind.NetworkError, $"HTTPS answer from {_upstream} was cut off: {error.Message}", error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static AuthenticationException? FindAuthenticationError(Exception error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException authentication)
                return authentication;
        }
        return null;
    }

    public void Dispose() => _client.Dispose();
}
