namespace Resolver.Client;

/// <summary>Deadlines and sizes for one exchange. Defaults follow the design's "Defaults and why" table.</summary>
public sealed class ExchangeOptions
{
    public static readonly ExchangeOptions Default = new();

    /// <summary>
    /// How long one UDP attempt waits for an acceptable reply, counted from the send. Like
    /// SO_RCVTIMEO on a blocking socket, except that discarded packets do not restart it:
    /// a stream of bad packets cannot stretch the attempt.
    /// </summary>
    public TimeSpan UdpReceiveTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    public TimeSpan TcpConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the TCP query may take from the end of the connect to the last byte of the answer.</summary>
    public TimeSpan TcpReadTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>UDP payload size advertised in OPT; 1232 per DNS flag day 2020 (no IP fragmentation).</summary>
    public ushort UdpPayloadSize { get; init; } = 1232;
}
