using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Turns the receive loop's reusable <see cref="SocketAddress"/> into the <see cref="IPEndPoint"/> a handler sees,
/// reusing the last one while the same client keeps asking (the common case under load), so a steady client
/// costs no allocation per datagram. Owned by one receive loop; never shared.
/// </summary>
internal sealed class ClientEndpointCache(AddressFamily family)
{
    private readonly SocketAddress last = new(family);
    private readonly IPEndPoint template = new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    private IPEndPoint? endpoint;

    public IPEndPoint Get(SocketAddress address)
    {
        if (endpoint is not null && address.Equals(last))
        {
            return endpoint;
        }

        endpoint = (IPEndPoint)template.Create(address);
        address.Buffer.Span.Slice(0, address.Size).CopyTo(last.Buffer.Span);
        last.Size = address.Size;
        return endpoint;
    }

    /// <summary>A copy that outlives the next receive (for an answer completed off the loop).</summary>
    public static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span.Slice(0, address.Size).CopyTo(copy.Buffer.Span);
        return copy;
    }
}
