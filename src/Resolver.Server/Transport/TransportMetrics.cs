using System.Diagnostics.Metrics;

namespace Resolver.Server.Transport;

/// <summary>
/// The transport's counters on the meter <c>Resolver.Server</c> (watch with <c>dotnet-counters monitor -n resolver
/// --counters Resolver.Server</c>). Tags are constant strings, so counting allocates nothing.
/// </summary>
internal sealed class TransportMetrics
{
    public const string MeterName = "Resolver.Server";

    private readonly Counter<long> datagramsReceived;
    private readonly Counter<long> framesReceived;
    private readonly Counter<long> queriesDropped;
    private readonly Counter<long> responsesSent;
    private readonly Counter<long> queriesAnswered;
    private readonly Counter<long> connectionsAccepted;
    private readonly Counter<long> connectionsClosed;
    private readonly Counter<long> receiveWaits;

    public TransportMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        datagramsReceived = meter.CreateCounter<long>("resolver.server.udp.datagrams.received", "{datagram}", "UDP datagrams received");
        framesReceived = meter.CreateCounter<long>("resolver.server.tcp.queries.received", "{query}", "Length-framed queries read from TCP connections");
        queriesDropped = meter.CreateCounter<long>("resolver.server.queries.dropped", "{query}", "Queries not answered, by transport and reason");
        responsesSent = meter.CreateCounter<long>("resolver.server.responses.sent", "{response}", "Responses written, by transport");
        queriesAnswered = meter.CreateCounter<long>("resolver.queries", "{query}", "Queries answered, by transport and response code");
        connectionsAccepted = meter.CreateCounter<long>("resolver.server.tcp.connections.accepted", "{connection}", "TCP connections accepted");
        connectionsClosed = meter.CreateCounter<long>("resolver.server.tcp.connections.closed", "{connection}", "TCP connections closed, by reason");
        receiveWaits = meter.CreateCounter<long>(
            "resolver.server.udp.receive.waits", "{wait}",
            "Waits of a batched UDP receive loop for its next datagrams, by how they ended (Resolver:Udp:BusyPollMicroseconds)");
    }

    public void DatagramReceived() => datagramsReceived.Add(1);

    public void FrameReceived() => framesReceived.Add(1);

    public void QueryDropped(string transport, string reason) =>
        queriesDropped.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts an answer sent: by transport, and by transport and its RCODE (the header's four bits).</summary>
    public void ResponseSent(string transport, ReadOnlySpan<byte> response)
    {
        var transportTag = new KeyValuePair<string, object?>("transport", transport);
        responsesSent.Add(1, transportTag);
        if (response.Length > 3)
            queriesAnswered.Add(1, transportTag, new KeyValuePair<string, object?>("rcode", TransportTags.ResponseCodes[response[3] & 0x0F]));
    }

    public void ConnectionAccepted() => connectionsAccepted.Add(1);

    /// <param name="outcome"><see cref="TransportTags.Polled"/>, <see cref="TransportTags.SleptAfterPoll"/>, <see cref="TransportTags.Slept"/> or <see cref="TransportTags.GaveWay"/>.</param>
    public void ReceiveWaited(string outcome) => receiveWaits.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ConnectionClosed(string reason) => connectionsClosed.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

/// <summary>Tag values of the transport's counters.</summary>
internal static class TransportTags
{
    public const string Udp = "udp";
    public const string Tcp = "tcp";
    public const string Tls = "tls";
    public const string Https = "https";

    /// <summary>The header RCODEs by value, as RFC 1035 and RFC 2136 name them (rcode tag of resolver.queries).</summary>
    public static readonly string[] ResponseCodes =
    [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
        "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14", "RCODE15",
    ];

    /// <summary>Shorter than a DNS header (RFC 1035 §4.1.1: 12 bytes).</summary>
    public const string TooShort = "too_short";

    /// <summary>Longer than <c>Resolver:Udp:MaxDatagramSize</c>, or than 65535 bytes.</summary>
    public const string TooLong = "too_long";

    /// <summary>The handler returned 0: it chose to send nothing.</summary>
    public const string NoAnswer = "no_answer";

    /// <summary>The handler threw or returned an impossible length (a bug in the handler).</summary>
    public const string HandlerError = "handler_error";

    /// <summary>The server stopped before the handler answered.</summary>
    public const string Cancelled = "cancelled";

    public const string SendFailed = "send_failed";

    // How a UDP receive loop's wait for datagrams ended: found by polling (no wake-up paid); in the blocking receive
    // after a poll that found nothing (the poll's CPU spent for nothing); in the blocking receive without a poll (the
    // last wait was too long to poll, or polling is off or paused; the call returns at once when datagrams are
    // already queued); in the blocking receive after a poll that found another thread had taken the core for long,
    // so polling gave way to it (and pauses, BusyPollWindow).
    public const string Polled = "polled";
    public const string SleptAfterPoll = "slept_after_poll";
    public const string Slept = "slept";
    public const string GaveWay = "gave_way";

    // Reasons a TCP connection closed.
    public const string PeerClosed = "peer_closed";
    public const string Idle = "idle";
    public const string Evicted = "evicted";
    public const string CapFull = "cap_full";
    public const string ZeroLength = "zero_length";
    public const string Error = "error";
    public const string Shutdown = "shutdown";

    /// <summary>A TLS client that failed its handshake or did not finish it within Resolver:Tls:HandshakeTimeoutMs.</summary>
    public const string HandshakeFailed = "handshake_failed";
}
