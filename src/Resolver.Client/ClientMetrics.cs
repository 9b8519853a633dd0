using System.Diagnostics.Metrics;

namespace Resolver.Client;

/// <summary>Why a received packet was not taken as the answer (the "reason" tag of the discard counter).</summary>
public enum DiscardReason
{
    /// <summary>Came from another address or port than the one queried.</summary>
    WrongSource,

    /// <summary>Shorter than a header, or a question that cannot be read.</summary>
    Unparsable,

    /// <summary>QR=0: a query, not a response.</summary>
    NotResponse,

    /// <summary>Another opcode than the query's.</summary>
    WrongOpcode,

    /// <summary>Another message ID than the one sent (a late answer to an earlier attempt, or a guess).</summary>
    WrongId,

    /// <summary>Does not repeat our question (name, type, class), or has no question.</summary>
    WrongQuestion,
}

/// <summary>
/// Counters of the upstream client in the meter "Resolver.Client". Created once per
/// <see cref="DnsExchange"/>; pass an <see cref="IMeterFactory"/> to have the host own the meter.
/// </summary>
public sealed class ClientMetrics : IDisposable
{
    public const string MeterName = "Resolver.Client";

    private static readonly string[] ReasonTags =
        ["wrong_source", "unparsable", "not_response", "wrong_opcode", "wrong_id", "wrong_question"];

    private readonly bool _ownsMeter;
    private readonly Counter<long> _discarded;
    private readonly Counter<long> _tcpFallbacks;
    private readonly Counter<long> _ednsFallbacks;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _connectionsOpened;
    private readonly Counter<long> _connectionsClosed;
    private readonly Counter<long> _certificatesRejected;
    private readonly Counter<long> _queriesResent;

    public ClientMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ownsMeter = meterFactory is null;
        _discarded = Meter.CreateCounter<long>("resolver.client.replies.discarded", "{packet}",
            "Packets received while waiting for an answer that were not the answer (tag: reason).");
        _tcpFallbacks = Meter.CreateCounter<long>("resolver.client.tcp_fallbacks", "{query}",
            "UDP answers with TC=1 that were asked again over TCP (RFC 7766).");
        _ednsFallbacks = Meter.CreateCounter<long>("resolver.client.edns_fallbacks", "{query}",
            "Queries asked again without OPT after FORMERR, NOTIMP, BADVERS or a malformed answer.");
        _failures = Meter.CreateCounter<long>("resolver.client.failures", "{query}",
            "Exchanges that ended without an answer (tag: kind).");
        _connectionsOpened = Meter.CreateCounter<long>("resolver.client.connections.opened", "{connection}",
            "Long-lived upstream connections opened (tag: transport = tcp|tls|https).");
        _connectionsClosed = Meter.CreateCounter<long>("resolver.client.connections.closed", "{connection}",
            "Long-lived TCP/TLS upstream connections closed (tag: reason = idle|peer_closed|error|disposed).");
        _certificatesRejected = Meter.CreateCounter<long>("resolver.client.tls.certificates_rejected", "{handshake}",
            "TLS handshakes with an encrypted upstream that failed on its certificate (tag: upstream).");
        _queriesResent = Meter.CreateCounter<long>("resolver.client.queries.resent", "{query}",
            "Queries sent again on a new connection because theirs closed before the answer (RFC 7766 §6.2.1).");
    }

    public Meter Meter { get; }

    public static string ReasonTag(DiscardReason reason) => ReasonTags[(int)reason];

    internal void Discarded(DiscardReason reason) =>
        _discarded.Add(1, new KeyValuePair<string, object?>("reason", ReasonTags[(int)reason]));

    internal void TcpFallback() => _tcpFallbacks.Add(1);

    internal void EdnsFallback() => _ednsFallbacks.Add(1);

    internal void ConnectionOpened(string transport) => _connectionsOpened.Add(1, new KeyValuePair<string, object?>("transport", transport));

    internal void ConnectionClosed(string reason) => _connectionsClosed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void CertificateRejected(string upstream) => _certificatesRejected.Add(1, new KeyValuePair<string, object?>("upstream", upstream));

    internal void QueryResent() => _queriesResent.Add(1);

    internal void Failed(UpstreamFailureKind kind)
    {
        string tag = kind switch
        {
            UpstreamFailureKind.Timeout => "timeout",
            UpstreamFailureKind.NetworkError => "network_error",
            UpstreamFailureKind.TlsFailure => "tls_failure",
            _ => "malformed_response",
        };
        _failures.Add(1, new KeyValuePair<string, object?>("kind", tag));
    }

    public void Dispose()
    {
        if (_ownsMeter)
            Meter.Dispose();
    }
}
