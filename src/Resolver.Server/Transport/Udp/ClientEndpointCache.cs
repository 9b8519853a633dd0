using System.Net;
using System.Net.Sockets;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// Turns the receive loop's reusable <see cref="SocketAddress"/> into the <see cref="IPEndPoint"/> a handler sees,
/// reusing the endpoints of recent clients: a small direct-mapped table keyed by the raw sockaddr, so clients that
/// keep asking (a stub resolver's socket, dnsperf's clients, a fleet's forwarders) cost no allocation per datagram.
/// A client seen for the first time, or one whose slot another client took, costs one endpoint.
/// Owned by one receive loop; never shared.
/// </summary>
internal sealed class ClientEndpointCache(AddressFamily family)
{
    // A power of two; large enough that a few hundred active clients rarely collide.
    private const int SlotCount = 256;

    // Room for any sockaddr of the family (sockaddr_in6 is 28 octets).
    private const int MaxAddressLength = 32;

    private readonly SocketAddress?[] addresses = new SocketAddress?[SlotCount];
    private readonly IPEndPoint?[] endpoints = new IPEndPoint?[SlotCount];
    private readonly IPEndPoint template = new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public IPEndPoint Get(SocketAddress address) => Get(address.Buffer.Span.Slice(0, address.Size));

    /// <summary>The endpoint of a raw sockaddr in the platform's layout (as recvmmsg fills it).</summary>
    public IPEndPoint Get(ReadOnlySpan<byte> raw)
    {
        int slot = SlotOf(raw);
        SocketAddress? known = addresses[slot];
        if (known is not null && known.Buffer.Span.Slice(0, known.Size).SequenceEqual(raw))
        {
            return endpoints[slot]!;
        }

        known ??= addresses[slot] = new SocketAddress(family, MaxAddressLength);
        raw.CopyTo(known.Buffer.Span);
        known.Size = raw.Length;
        var endpoint = (IPEndPoint)template.Create(known);
        endpoints[slot] = endpoint;
        return endpoint;
    }

    /// <summary>A copy that outlives the next receive (for an answer completed off the loop).</summary>
    public static SocketAddress Copy(SocketAddress address) => Copy(address.Family, address.Buffer.Span.Slice(0, address.Size));

    /// <summary>A <see cref="SocketAddress"/> holding a raw sockaddr, for an answer completed off the loop.</summary>
    public static SocketAddress Copy(AddressFamily family, ReadOnlySpan<byte> raw)
    {
        var copy = new SocketAddress(family, raw.Length);
        raw.CopyTo(copy.Buffer.Span);
        return copy;
    }

    // Port and address bytes (and, for IPv6, flow info and scope, which are usually 0): FNV-1a, folded to a slot.
    private static int SlotOf(ReadOnlySpan<byte> raw)
    {
        uint hash = 2166136261;
        foreach (byte b in raw)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)((hash ^ (hash >> 16)) & (SlotCount - 1));
    }
}
