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
