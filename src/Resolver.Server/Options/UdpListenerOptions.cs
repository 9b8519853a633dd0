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

    /// <summary>The largest <see cref="ReceiveBufferBytes"/> accepted (256 MiB).</summary>
    public const int LargestReceiveBuffer = 256 * 1024 * 1024;

    /// <summary>
    /// SO_RCVBUF of each UDP socket, in bytes: how much the kernel queues while the receive loop is busy or not
    /// scheduled, before it drops queries. Linux's usual default (212,992, net.core.rmem_default) holds only a few
    /// hundred queries, about 15 ms at 20,000 queries/s. Beyond net.core.rmem_max it takes CAP_NET_ADMIN
    /// (SO_RCVBUFFORCE, as Unbound's so-rcvbuf does); without it the kernel grants less and the log says so.
    /// 0 keeps the system default.
    /// </summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest <see cref="BusyPollMicroseconds"/> accepted.</summary>
    public const int LargestBusyPoll = 1000;

    /// <summary>
    /// How long a receive loop keeps polling for the next datagram before it sleeps, in microseconds, on 64-bit
    /// Linux with <see cref="BatchSize"/> above 1. It polls only while queries come fast (its smoothed idle time
    /// per datagram at most half of this: about 10,000 queries/s and up for the default), so a quiet or moderately
    /// busy server sleeps at once; a busy one answers without paying for a wake-up (lower latency, more CPU: a loop
    /// polling between queries shows as busy). 0 never polls. The default is the window Linux's own
    /// haltpoll gives an idle virtual processor before it halts (guest_halt_poll_ns, 200 µs), for the same trade.
    /// </summary>
    public int BusyPollMicroseconds { get; set; } = 200;
}
