namespace Resolver.Client;

/// <summary>Why an exchange produced no answer; the caller's retry policy decides what to do next.</summary>
public enum UpstreamFailureKind
{
    /// <summary>No acceptable reply before the deadline (UDP receive, TCP connect or TCP read).</summary>
    Timeout,

    /// <summary>The network said no: connection refused or reset, unreachable, closed mid-answer.</summary>
    NetworkError,

    /// <summary>A reply that matched our query (ID and question) could not be parsed.</summary>
    MalformedResponse,

    /// <summary>
    /// An encrypted upstream's TLS handshake failed: its certificate was refused (untrusted, expired, wrong name, no
    /// pin match) or the handshake broke off. Never followed by a clear-text try (RFC 8310 §5).
    /// </summary>
    TlsFailure,
}

public sealed class UpstreamException(UpstreamFailureKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public UpstreamFailureKind Kind { get; } = kind;
}
