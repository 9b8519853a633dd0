using System.Diagnostics;
using System.Net.Sockets;

namespace Resolver.Client.Transport;

/// <summary>
/// One fixed point in time by which a step of the exchange must be done. The async form
/// carries a token that fires at the deadline (or when the caller cancels); the sync form
/// gives the remaining milliseconds for SO_RCVTIMEO/SO_SNDTIMEO before each blocking call.
/// Discarded packets never move the deadline.
/// </summary>
/// <remarks>
/// A value, so a UDP exchange allocates nothing for it: the pooled socket lends its own
/// <see cref="CancellationTokenSource"/> (re-armed with CancelAfter, reset when the socket goes
/// back to the pool), and the caller's token is joined by a registration rather than a linked
/// source. Only the owner disposes it; copies handed to callees just read it.
/// </remarks>
internal readonly struct AttemptDeadline : IDisposable
{
    private readonly long _expiresAt;
    private readonly TimeSpan _timeout;
    private readonly string _what;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _source;
    private readonly bool _ownsSource;
    private readonly CancellationTokenRegistration _callerLink;

    /// <param name="lentSource">
    /// A source that is not cancelled and has no timer running, owned by the caller (a pooled
    /// socket); null to create one (async form only).
    /// </param>
    public AttemptDeadline(TimeSpan timeout, string what, bool useAsync, CancellationToken callerToken, CancellationTokenSource? lentSource = null)
    {
        _timeout = timeout;
        _what = what;
        _callerToken = callerToken;
        _expiresAt = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (!useAsync)
            return;
        _ownsSource = lentSource is null;
        _source = lentSource ?? new CancellationTokenSource();
        if (callerToken.CanBeCanceled)
            _callerLink = callerToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
        _source.CancelAfter(timeout);
    }

    /// <summary>Fires at the deadline or on the caller's cancellation (async form only).</summary>
    public CancellationToken Token => _source?.Token ?? CancellationToken.None;

    /// <summary>Milliseconds left, at least 1 (0 would mean "wait forever" to the socket); throws once expired.</summary>
    public int RemainingMilliseconds()
    {
        long left = _expiresAt - Stopwatch.GetTimestamp();
        if (left <= 0)
            throw Expired();
        return (int)Math.Min(int.MaxValue, Math.Max(1, left * 1000 / Stopwatch.Frequency));
    }

    public UpstreamException Expired() => new(UpstreamFailureKind.Timeout, ExpiredMessage());

    /// <summary>The timeout as a value, for a transport that returns its failures.</summary>
    public AcceptedReply ExpiredReply() => AcceptedReply.Failed(UpstreamFailureKind.Timeout, ExpiredMessage());

    private string ExpiredMessage() => $"no answer: {_what} deadline of {_timeout.TotalMilliseconds:0} ms passed";

    /// <summary>True when the caller cancelled, rather than this deadline firing.</summary>
    public bool IsCallerCancellation => _callerToken.IsCancellationRequested;

    /// <summary>
    /// Turns the cancellation of <see cref="Token"/> into what the caller should see: its own
    /// cancellation, or a timeout when it was our deadline that fired.
    /// </summary>
    public Exception Translate(OperationCanceledException cancelled)
    {
        if (_callerToken.IsCancellationRequested)
            return new OperationCanceledException(cancelled.Message, cancelled, _callerToken);
        return Expired();
    }

    /// <summary>True when a blocking socket call ended because SO_RCVTIMEO/SO_SNDTIMEO ran out.</summary>
    public static bool IsSocketTimeout(SocketException exception) =>
        exception.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock;

    /// <summary>Stops listening to the caller; a source we created is disposed, a lent one is left to its owner.</summary>
    public void Dispose()
    {
        _callerLink.Dispose();
        if (_ownsSource)
            _source?.Dispose();
    }
}
