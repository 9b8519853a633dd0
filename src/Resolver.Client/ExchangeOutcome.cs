namespace Resolver.Client;

/// <summary>
/// How one exchange ended, as a value: the answer, or why there is none. The forwarder's hot path reads this instead
/// of catching <see cref="UpstreamException"/>: under sustained misses, attempts past their adaptive timeout threw
/// 200-2,900 exceptions a second (dotnet-counters, scripts/profile-misses.sh), each thrown in the transport and rethrown through every async layer. Two
/// references, so the async state machines that carry it grow by no more than that.
/// The caller's own cancellation is still an <see cref="OperationCanceledException"/>: that is the caller's doing.
/// </summary>
public readonly record struct ExchangeOutcome
{
    private ExchangeOutcome(ExchangeResult? result, UpstreamFailure? failure)
    {
        Result = result;
        Failure = failure;
    }

    /// <summary>The accepted answer; null when the exchange failed.</summary>
    public ExchangeResult? Result { get; }

    /// <summary>Why there is no answer; null when there is one.</summary>
    public UpstreamFailure? Failure { get; }

    public static ExchangeOutcome Success(ExchangeResult result) => new(result ?? throw new ArgumentNullException(nameof(result)), null);

    public static ExchangeOutcome Failed(UpstreamFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));

    public static ExchangeOutcome From(UpstreamException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(null, new UpstreamFailure(exception.Kind, exception.Message, exception.InnerException));
    }

    /// <summary>The answer, or the failure thrown as <see cref="UpstreamException"/>.</summary>
    public ExchangeResult ResultOrThrow() => Result ?? throw Failure!.ToException();
}
