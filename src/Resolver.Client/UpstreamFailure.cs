namespace Resolver.Client;

/// <summary>
/// Why an exchange produced no answer, as an object passed back rather than thrown: the price of a failure is this
/// one small allocation, and an answered exchange carries only a null reference for it.
/// </summary>
public sealed class UpstreamFailure(UpstreamFailureKind kind, string message, Exception? cause = null)
{
    public UpstreamFailureKind Kind { get; } = kind;

    /// <summary>What went wrong, for a log line or an exception.</summary>
    public string Message { get; } = message;

    /// <summary>What caused it where there is something to show (the parse error of a malformed answer, a TLS error).</summary>
    public Exception? Cause { get; } = cause;

    /// <summary>The same failure as the <see cref="UpstreamException"/> the throwing API promises.</summary>
    public UpstreamException ToException() => new(Kind, Message, Cause);

    public override string ToString() => $"{Kind}: {Message}";
}
