namespace Resolver.Client.Upstreams;

/// <summary>
/// How the connections of TCP, TLS and HTTPS upstreams are kept (RFC 7766 §6.2.1, RFC 7858 §3.4, RFC 8484 §5.1):
/// one long-lived pipelined connection per upstream (HTTP/2: multiplexed), closed after <see cref="IdleTimeout"/>
/// with nothing in flight and opened again on the next query.
/// </summary>
public sealed class ConnectionReuse
{
    public static readonly ConnectionReuse Default = new();

    /// <summary>A connection with no query in flight for this long is closed (RFC 7766 §6.2.3: seconds, not minutes).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Queries in flight on one TCP/TLS connection; past it a query fails at once (a local network error).</summary>
    public int MaxQueriesInFlight { get; init; } = 4096;

    /// <summary>How often a query lost with its connection is sent again on a new one within the same exchange.</summary>
    public int MaxReconnectsPerQuery { get; init; } = 2;

    /// <summary>The certificates encrypted upstreams may present.</summary>
    public TlsTrust Trust { get; init; } = TlsTrust.SystemOnly;

    /// <summary>EDNS(0) padding of queries on encrypted transports to blocks of this many octets (RFC 8467 §4.1; 0: off).</summary>
    public int PaddingBlock { get; init; } = Resolver.Protocol.Edns.MessagePadding.QueryBlock;
}
