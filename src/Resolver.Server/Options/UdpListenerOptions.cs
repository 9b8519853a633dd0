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

    /// <summary>The largest <see cref="BatchSize"/> accepted.</summary>
    public const int LargestBatch = 64;

    /// <summary>
    /// Datagrams a receive loop takes per system call, and answers it sends per call, on 64-bit Linux
    /// (recvmmsg/sendmmsg); 1 means one call per datagram, as elsewhere. A batch only fills when datagrams are
    /// already waiting, so a quiet server answers each query at once.
    /// </summary>
    public int BatchSize { get; set; } = 16;
}
