namespace Resolver.Server.Options;

/// <summary>Settings of the TCP listeners (<c>Resolver:Tcp</c>), RFC 7766.</summary>
public sealed class TcpListenerOptions
{
    /// <summary>
    /// A connection with no query in flight that has received nothing for this long is closed.
    /// RFC 7766 §6.2.3 recommends seconds, not minutes.
    /// </summary>
    public int IdleTimeoutMs { get; set; } = 10_000;

    /// <summary>At the cap the oldest idle connection is closed to admit a new one; if none is idle the new one is closed.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Queries one connection may have in flight (RFC 7766 §6.2.1.1 pipelining); past it reading pauses.</summary>
    public int MaxOutstandingPerConnection { get; set; } = 64;
}
