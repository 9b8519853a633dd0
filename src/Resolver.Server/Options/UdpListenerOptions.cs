namespace Resolver.Server.Options;

/// <summary>Settings of the UDP listeners (<c>Resolver:Udp</c>).</summary>
public sealed class UdpListenerOptions
{
    /// <summary>The largest datagram the protocol allows (RFC 768: 16-bit length); our receive buffer is one byte more.</summary>
    public const int LargestDatagram = 65535;

    /// <summary>
    /// Sockets (each with its own receive loop) per listen address, bound with SO_REUSEPORT so the kernel
    /// spreads clients over them. Default: one per processor. Falls back to 1 where SO_REUSEPORT is missing.
    /// </summary>
    public int ReceiveLoopsPerAddress { get; set; } = Environment.ProcessorCount;

    /// <summary>Datagrams longer than this are dropped and counted (12-65535).</summary>
    public int MaxDatagramSize { get; set; } = LargestDatagram;
}
