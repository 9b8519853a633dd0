using System.Buffers;
using System.Buffers.Text;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Pipeline;
using Resolver.Server.Options;

namespace Resolver.Server.Transport.Encrypted;

/// <summary>
/// DNS over HTTPS for clients (RFC 8484) on every <c>Resolver:ListenHttps</c> address: Kestrel with HTTP/2 and
/// HTTP/1.1 over TLS, the path /dns-query, GET with <c>?dns=</c> (base64url) and POST with
/// <c>application/dns-message</c>. Each query goes through the same pipeline as UDP and TCP, so the same admission
/// (access control, rate limit by the client's address) applies. Kestrel's limits carry the TCP listener's settings:
/// the connection cap, the idle timeout (keep-alive), the per-connection in-flight cap (HTTP/2 streams), and the TLS
/// handshake timeout.
/// </summary>
internal sealed class HttpsListenerService(
    IOptions<ResolverOptions> options,
    IQueryHandler handler,
    ServerCertificate certificate,
    ListenerEndpoints endpoints,
    TransportMetrics metrics,
    ILogger<HttpsListenerService> logger) : IHostedService, IAsyncDisposable
{
    private const string Path = "/dns-query";
    private const string DnsMessage = "application/dns-message";
    private const int MaxMessage = ushort.MaxValue;

    private WebApplication? app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ResolverOptions settings = options.Value;
        if (settings.ListenHttps.Count == 0)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => Configure(kestrel, settings));
        app = builder.Build();
        app.Run(AnswerAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            EndpointText.TryParseListen(settings.ListenHttps[0], out IPEndPoint first, out _);
            var socketError = (e.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode ?? System.Net.Sockets.SocketError.AddressAlreadyInUse;
            throw new ListenerBindException(first, "https", socketError, e);
        }

        var bound = new List<IPEndPoint>();
        foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            var uri = new Uri(address);
            var endpoint = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
            bound.Add(endpoint);
            TransportLog.ListeningHttps(logger, endpoint);
        }

        endpoints.PublishHttps(bound);
    }

    private void Configure(KestrelServerOptions kestrel, ResolverOptions settings)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxConcurrentConnections = settings.Tcp.MaxConnections;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMilliseconds(settings.Tcp.IdleTimeoutMs);
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMilliseconds(settings.Tls.HandshakeTimeoutMs);
        kestrel.Limits.MaxRequestBodySize = MaxMessage;
        kestrel.Limits.Http2.MaxStreamsPerConnection = settings.Tcp.MaxOutstandingPerConnection;
        foreach (string text in settings.ListenHttps)
        {
            EndpointText.TryParseListen(text, out IPEndPoint endpoint, out _);
            kestrel.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    // Taken at each handshake, so a certificate reloaded on SIGHUP is used at once.
                    https.ServerCertificateSelector = (_, _) => certificate.Current;
                    https.HandshakeTimeout = TimeSpan.FromMilliseconds(settings.Tls.HandshakeTimeoutMs);
                });
            });
        }
    }

    private async Task AnswerAsync(HttpContext http)
    {
        HttpRequest request = http.Request;
        if (!string.Equals(request.Path.Value, Path, StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        byte[] query = ArrayPool<byte>.Shared.Rent(MaxMessage);
        byte[] response = ArrayPool<byte>.Shared.Rent(MaxMessage);
        try
        {
            int length = await ReadQueryAsync(http, query).ConfigureAwait(false);
            if (length <= 0)
            {
                return;
            }

            metrics.FrameReceived();
            var client = new IPEndPoint(http.Connection.RemoteIpAddress ?? IPAddress.None, http.Connection.RemotePort);
            int answer = await handler.HandleAsync(query.AsMemory(0, length), response.AsMemory(0, MaxMessage),
                new QueryContext(client, ClientTransport.Https), http.RequestAborted).ConfigureAwait(false);
            if (answer <= 0)
            {
                // Admission chose silence (a dropped or rate-limited client): HTTP has no silence, so the connection goes.
                metrics.QueryDropped(TransportTags.Https, TransportTags.NoAnswer);
                http.Abort();
                return;
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = DnsMessage;
            http.Response.ContentLength = answer;
            await http.Response.Body.WriteAsync(response.AsMemory(0, answer), http.RequestAborted).ConfigureAwait(false);
            metrics.ResponseSent(TransportTags.Https, response.AsSpan(0, answer));
        }
        catch (OperationCanceledException)
        {
            metrics.QueryDropped(TransportTags.Https, TransportTags.Cancelled);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(response);
        }
    }

    /// <summary>The DNS message of a GET (?dns=, RFC 8484 §4.1) or POST; 0 with the status set when there is none.</summary>
    private static async Task<int> ReadQueryAsync(HttpContext http, byte[] query)
    {
        HttpRequest request = http.Request;
        int length;
        if (HttpMethods.IsGet(request.Method))
        {
            string? dns = request.Query["dns"];
            if (dns is null || !Base64Url.TryDecodeFromChars(dns, query.AsSpan(0, MaxMessage), out length))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                return 0;
            }
        }
        else if (HttpMethods.IsPost(request.Method))
        {
            if (!string.Equals(request.ContentType, DnsMessage, StringComparison.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return 0;
            }

            length = 0;
            while (length < MaxMessage)
            {
                int read = await request.Body.ReadAsync(query.AsMemory(length, MaxMessage - length), http.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return 0;
        }

        if (length < Protocol.DnsHeader.Size)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return 0;
        }

        return length;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
