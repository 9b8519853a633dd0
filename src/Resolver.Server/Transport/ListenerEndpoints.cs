using System.Net;

namespace Resolver.Server.Transport;

/// <summary>
/// The endpoints the listeners actually hold after binding, in the order of <c>Resolver:Listen</c>.
/// With port 0 the system picks the port; the UDP and TCP listeners of one address share it,
/// so a client can fall back to TCP on the same endpoint (RFC 7766 §5). Empty until the server has started.
/// </summary>
public sealed class ListenerEndpoints
{
    private volatile IReadOnlyList<IPEndPoint> udp = [];
    private volatile IReadOnlyList<IPEndPoint> tcp = [];
    private volatile IReadOnlyList<IPEndPoint> tls = [];
    private volatile IReadOnlyList<IPEndPoint> https = [];

    /// <summary>One entry per <c>Resolver:ListenTls</c> address: where its DoT listener is bound.</summary>
    public IReadOnlyList<IPEndPoint> Tls => tls;

    /// <summary>One entry per <c>Resolver:ListenHttps</c> address: where its DoH listener is bound.</summary>
    public IReadOnlyList<IPEndPoint> Https => https;

    internal void PublishTls(IReadOnlyList<IPEndPoint> endpoints) => tls = endpoints;

    internal void PublishHttps(IReadOnlyList<IPEndPoint> endpoints) => https = endpoints;

    /// <summary>One entry per listen address: where its UDP sockets are bound.</summary>
    public IReadOnlyList<IPEndPoint> Udp => udp;

    /// <summary>One entry per listen address: where its TCP listener is bound.</summary>
    public IReadOnlyList<IPEndPoint> Tcp => tcp;

    internal void Publish(IReadOnlyList<IPEndPoint> udpEndpoints, IReadOnlyList<IPEndPoint> tcpEndpoints)
    {
        udp = udpEndpoints;
        tcp = tcpEndpoints;
    }
}
