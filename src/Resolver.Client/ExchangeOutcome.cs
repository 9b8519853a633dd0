namespace Resolver.Client;

/// <summary>
/// How one exchange ended, as a value: the answer, or why there is none. The forwarder's hot path reads this instead
/// of catching <see cref="UpstreamException"/>: at 20,000 misses a second, attempts past their adaptive timeout
/// came to 1,100-2,900 exceptions a second, each thrown in the transport and rethrown through every async layer.
/// The caller's own cancellation is still an <see cref="OperationCanceledException"/>: that is the caller's doing.
/// </summary>
public readonly record struct ExchangeOutcome
{
    private ExchangeOutcome(ExchangeResult? result, UpstreamFailureKind failureKind, string? failureMessage, Exception? failureCause)
    {
        Result = result;
        FailureKind = failureKind;
        FailureMessage = failureMessage;
        FailureCause = failureCause;
    }

    /// <summary>The accepted answer; null when the exchange failed.</summary>
    public ExchangeResult? Result { get; }

    /// <summary>Why there is no answer; meaningful only when <see cref="Result"/> is null.</summary>
    public UpstreamFailureKind FailureKind { get; }

    /// <summary>What went wrong, for a log line or an exception; null when there is an answer.</summary>
    public string? FailureMessage { get; }

    /// <summary>What caused the failure where there is one to show (the parse error of a malformed answer, a TLS error).</summary>
    public Exception? FailureCause { get; }

    public bool Answered => Result is not null;

    public static ExchangeOutcome Success(ExchangeResult result) => new(result ?? throw new ArgumentNullException(nameof(result)), default, null, null);

    public static ExchangeOutcome Failure(UpstreamFailureKind kind, string message, Exception? cause = null) => new(null, kind, message, cause);

    public static ExchangeOutcome From(UpstreamException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(null, failure.Kind, failure.Message, failure.InnerException);
    }

    /// <summary>The failure as the <see cref="UpstreamException"/> the throwing API promises.</summary>
    public UpstreamException ToException() => new(FailureKind, FailureMessage ?? "no answer", FailureCause);

    /// <summary>The answer, or the failure thrown as <see cref="ToException"/>.</summary>
    public ExchangeResult ResultOrThrow() => Result ?? throw ToException();
}
