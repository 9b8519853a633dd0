namespace Resolver.Client;

/// <summary>
/// How long a UDP socket to one upstream server is kept for further queries before it is closed
/// and a new one (on a new random port) takes its place. See README.md, "UDP sockets".
/// </summary>
public sealed class UdpSocketReuse
{
    public static readonly UdpSocketReuse Default = new();

    /// <summary>A socket never gives more than one query at a time; one with no reuse gives each query its own port.</summary>
    public static readonly UdpSocketReuse NewSocketPerQuery = new() { MaxQueries = 1 };

    /// <summary>
    /// Queries one socket (so one source port) sends before it is replaced. Bounds how many
    /// 16-bit ID guesses an attacker who learned the port can aim at it.
    /// </summary>
    public int MaxQueries { get; init; } = 100;

    /// <summary>
    /// Age after which a socket is not used again, however few queries it sent. Bounds how long
    /// a port found by probing (e.g. the ICMP side channel of SAD DNS) stays useful.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Idle sockets kept per upstream server (per sync/async form); more concurrent queries open more. A forwarder
    /// under load has hundreds of queries in flight: with too few kept, most queries open and close a socket
    /// (measured: 16 kept held cache misses to ~6k/s with 500 in flight, scripts/bench.sh). 256 was still too few
    /// for dnsperf's 500 in flight, which return in bursts: the sockets past 256 were closed and reopened by the
    /// next burst (600 B of cancellation sources per miss, scripts/profile-misses.sh). An idle socket holds a
    /// 4 KiB receive buffer and a file descriptor.
    /// </summary>
    public int MaxIdlePerServer { get; init; } = 1024;
}
