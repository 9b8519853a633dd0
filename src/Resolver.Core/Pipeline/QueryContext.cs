using System.Net;

namespace Resolver.Core.Pipeline;

/// <summary>How a query reached the server; a handler needs it to size UDP answers (RFC 1035 §4.2.1).</summary>
public enum ClientTransport
{
    Udp,
    Tcp,

    /// <summary>DNS over TLS (RFC 7858): TCP framing inside TLS.</summary>
    Tls,

    /// <summary>DNS over HTTPS (RFC 8484): one message per HTTP request.</summary>
    Https,
}

/// <summary>Who asked and over which transport. Carries no DNS meaning; the handler reads the message itself.</summary>
public readonly record struct QueryContext(IPEndPoint Client, ClientTransport Transport);
