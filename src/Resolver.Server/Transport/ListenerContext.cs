using System.Buffers;
using Microsoft.Extensions.Logging;
using Resolver.Server.Options;

namespace Resolver.Server.Transport;

/// <summary>What every receive loop and connection of one server shares: counters, the in-flight count, settings, and
/// the token that cancels handlers when a stop's grace period has run out.</summary>
internal sealed class ListenerContext(
    TransportMetrics metrics,
    ILogger logger,
    ResolverOptions options,
    int udpResponseCapacity,
    CancellationToken abort,
    TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly long ticksPerMs = Math.Max(1, (time ?? TimeProvider.System).TimestampFrequency / 1000);

    public TransportMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    public InFlightCounter InFlight { get; } = new();

    public int MaxDatagramSize { get; } = options.Udp.MaxDatagramSize;

    /// <summary>
    /// Query and answer buffers of UDP queries. Not the shared pool: that keeps 32 arrays of a size per core, and a
    /// query that goes upstream holds its two until the answer comes, so with hundreds in flight most rentals
    /// allocated (measured: ~2.5 KB per forwarded query). This one keeps up to 1,024 of each size up to 4 KiB
    /// (or the UDP answer size, if larger).
    /// </summary>
    public ArrayPool<byte> QueryBuffers { get; } = ArrayPool<byte>.Create(Math.Max(4096, udpResponseCapacity), 1024);

    /// <summary>The length of a TCP answer buffer: the answer and its 2-octet length prefix (RFC 1035 §4.2.2).</summary>
    public const int TcpResponseBufferLength = 65536;

    /// <summary>
    /// Answer buffers of TCP queries (<see cref="TcpResponseBufferLength"/> each), bounded for the same reason as
    /// <see cref="QueryBuffers"/>: a pipelined connection may hold up to its in-flight cap of them while upstream
    /// answers, and the shared pool keeps only a few dozen per size, so past that it allocated a 64 KiB array (on the
    /// large-object heap) per query. Their queries come from <see cref="QueryBuffers"/>, as UDP's do.
    /// </summary>
    public ArrayPool<byte> TcpResponseBuffers { get; } = ArrayPool<byte>.Create(TcpResponseBufferLength, 256);

    /// <summary>Datagrams per recvmmsg/sendmmsg call (1: one call per datagram).</summary>
    public int UdpBatchSize { get; } = options.Udp.BatchSize;

    /// <summary>How long a batched receive loop polls before it sleeps, while queries come that close together.</summary>
    public int UdpBusyPollMicroseconds { get; } = options.Udp.BusyPollMicroseconds;

    public TcpListenerOptions Tcp { get; } = options.Tcp;

    /// <summary>
    /// The largest answer a UDP client can be sent: the handler truncates to the client's EDNS size, which it caps
    /// at the size we advertise (RFC 6891 §6.2.5), or to 512 without EDNS. UDP response buffers are this long.
    /// </summary>
    public int UdpResponseCapacity { get; } = udpResponseCapacity;

    /// <summary>Cancelled when the server stops and the grace period for in-flight queries is over.</summary>
    public CancellationToken Abort { get; } = abort;

    /// <summary>The host's clock (a test's own in tests): TCP idle times and their sweep run on it.</summary>
    public TimeProvider Time => clock;

    /// <summary>Now in milliseconds on <see cref="Time"/>, for connections' last activity and the idle sweep.</summary>
    public long NowMs() => clock.GetTimestamp() / ticksPerMs;
}
