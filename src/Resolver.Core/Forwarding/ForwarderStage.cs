using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Client;
using Resolver.Core.Cache;
using Resolver.Core.Dnssec;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Pipeline stage 3: answers a cache miss by asking upstream. Identical queries in flight are
/// coalesced; the upstreams for the name are ordered by RTT; the query runs through the
/// <see cref="ForwardingPolicy"/> (deadline, retry to the next upstream, per-attempt timeout) with
/// timed hedging; the answer is scrubbed, cached and written with the client's ID and question.
/// When nothing usable comes back the client still gets an answer: stale data (RFC 8767) or
/// SERVFAIL, both with an Extended DNS Error when the client sent EDNS. Never silence.
/// </summary>
public sealed partial class ForwarderStage : IQueryStage, ICacheRefresher, IDisposable
{
    private readonly ForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly IAnswerStore _cache;
    private readonly UpstreamSelector _selector;
    private readonly ForwardingPolicy _policy;
    private readonly HedgedAttempt _attempt;
    private readonly QueryCoalescer _inFlight = new();
    private readonly ForwarderMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<CacheKey, Task<ForwardOutcome>> _resolve;
    private readonly IAnswerValidator? _validator;
    private readonly DnssecFetch _fetch;
    private readonly TimeSpan _bogusTtl;

    public ForwarderStage(ForwarderOptions options, IDnsExchange exchange, ResponseCache cache, TimeProvider? timeProvider = null,
        ForwarderMetrics? metrics = null, Random? random = null, ILogger<ForwarderStage>? logger = null,
        IAnswerValidator? validator = null, TimeSpan? bogusTtl = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        _options = options;
        _time = time;
        _cache = cache;
        _metrics = metrics ?? new ForwarderMetrics();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Upstreams = new UpstreamTable(options, time);
        _selector = new UpstreamSelector(options, random);
        _attempt = new HedgedAttempt(exchange, options, time, _metrics);
        _policy = new ForwardingPolicy(options, time, _attempt);
        _resolve = ResolveAsync;
        _validator = validator;
        _fetch = FetchForValidationAsync;
        _bogusTtl = bogusTtl ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The configured upstreams and what is known about each (RTT, circuit).</summary>
    public UpstreamTable Upstreams { get; }

    public async ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        // Only conditional forwarders configured and none matches: not ours to answer.
        if (!Upstreams.HasDefault && Upstreams.Find(request.GetQuestionName()).Length == 0)
            return StageResult.Pass;
        var key = CacheKey.Create(request.QuestionName.Span, request.Type, request.Class, request.DnssecOk, request.CheckingDisabled);
        var outcome = _inFlight.Join(key, _resolve, out bool joined);
        if (joined)
            _metrics.Coalesced();
        // RFC 8767 §5 client response timer: a slow refresh of an expired entry must not keep the
        // client waiting; only checked when there is stale data to give (the timer allocates).
        if (!outcome.IsCompleted && _cache.HasStaleAnswer(request)
            && !await CompletesWithinAsync(outcome, _cache.StaleAnswerClientTimeout, cancellationToken).ConfigureAwait(false))
        {
            int stale = _cache.TryAnswerStale(request, response.Span, upstreamFailed: false);
            if (stale > 0)
                return stale;
        }
        var result = await outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Respond(request, result, response.Span);
    }

    /// <summary>Prefetch: refreshes a popular cache entry in the background (coalesced with live queries).</summary>
    public void Refresh(CacheKey key) => _inFlight.Join(key, _resolve, out _);

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>False when <paramref name="timeout"/> passed first (the query itself keeps running).</summary>
    private async Task<bool> CompletesWithinAsync(Task<ForwardOutcome> outcome, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return true;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _time, timer.Token);
        var first = await Task.WhenAny(outcome, delay).ConfigureAwait(false);
        timer.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return first == outcome;
    }

    private int Respond(in QueryRequest request, ForwardOutcome outcome, Span<byte> response)
    {
        if (outcome.Answer is not null)
        {
            if (request.Trace is { } answered)
                answered.Upstream = outcome.Upstream;
            // The bytes a hit will give, with the TTLs lowered by the time since the answer came (coalesced clients
            // may join late); encoded once, on the way into the cache.
            return outcome.Entry is { } entry ? _cache.WriteAnswer(request, entry, response) : ResponseWriter.Write(request, outcome.Answer, response);
        }
        // RFC 8767 §5: when upstreams fail, stale data is better than no data; not in place of a forged (bogus) answer.
        int stale = outcome.IsBogus ? 0 : _cache.TryAnswerStale(request, response);
        if (stale > 0)
            return stale;
        return ResponseWriter.WriteError(request, DnsResponseCode.ServFail, response, outcome.Error);
    }

    private async Task<ForwardOutcome> ResolveAsync(CacheKey key)
    {
        var name = DnsName.FromWire(key.Name);
        var question = new DnsQuestion(name, key.Type, key.Class);
        var order = _selector.Order(Upstreams.Find(name), out var probe);
        // Nothing closed: the claimed half-open upstream is all there is, so this query is the probe.
        bool probeInBand = order.Length == 0 && probe is not null;
        if (probeInBand)
            order = [probe!];
        // The selector returns an upstream whenever the name has one, open circuits or not; this guards an empty list.
        if (order.Length == 0)
            return Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "no upstream for this name", "no_upstream");

        // RFC 4035 §5: a validating forwarder asks with DO=1 and CD=1 (the upstream's own verdict is not trusted);
        // a client's CD=1 means it validates itself and gets the data unvalidated.
        bool validate = _validator is not null && !key.CheckingDisabled;
        var query = new UpstreamQuery(name, key.Type, key.Class)
        {
            CheckingDisabled = key.CheckingDisabled || validate,
            DnssecOk = key.DnssecOk || validate,
            UseEdns = _options.UseEdns || key.DnssecOk || validate,
        };
        // A recovering upstream is probed beside the client's query, so the client never waits on it.
        if (probe is not null && !probeInBand)
            _ = _attempt.ProbeAsync(probe, query, _stopping.Token);
        // Asked in this method rather than a helper: one state machine less per miss.
        var plan = new AttemptPlan(order, query);
        // Read before asking: an answer that was in flight during a cache flush is not cached.
        long generation = _cache.Generation;
        AttemptOutcome? answer;
        try
        {
            answer = await _policy.RunAsync(plan, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            if (probeInBand)
                probe!.EndProbe();
        }
        if (answer?.Result is { } result)
        {
            var scrubbed = ResponseScrubber.Scrub(result.Response, question);
            if (validate)
            {
                var verdict = await _validator!.ValidateAsync(result.Response, scrubbed, _fetch).ConfigureAwait(false);
                if (verdict.IsBogus)
                    return FailBogus(key, question, verdict);
                scrubbed.AuthenticData = verdict.State == ValidationState.Secure;
                // RFC 4035 §3.2.1: without DO the client gets no DNSSEC records it did not ask for.
                if (!key.DnssecOk)
                    DnssecRecords.Strip(scrubbed, key.Type);
            }
            var entry = _cache.StoreAnswer(key, scrubbed, _cache.TtlFor(scrubbed), generation);
            return ForwardOutcome.Answered(scrubbed, entry, answer.Server.Name);
        }
        return DescribeFailure(key, question, plan);
    }

    private ForwardOutcome DescribeFailure(CacheKey key, DnsQuestion question, AttemptPlan plan)
    {
        var last = plan.LastOutcome;
        LogFailure(question.Name, plan.Attempts, last?.Status.ToString() ?? "none", plan.DeadlinePassed);
        if (plan.DeadlinePassed && last?.Result is null)
            return Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "no upstream answered before the deadline", "deadline");
        return last?.Status switch
        {
            AttemptStatus.ServerFailure => Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "upstream answered SERVFAIL", "upstream_servfail"),
            AttemptStatus.Refused => Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "upstream refused the query", "upstream_refused"),
            AttemptStatus.OtherResponseCode => Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "upstream could not answer the query", "upstream_rcode"),
            AttemptStatus.NetworkError => Fail(key, question, ExtendedErrorCode.NetworkError, "network error talking to upstream", "network_error"),
            AttemptStatus.Malformed => Fail(key, question, ExtendedErrorCode.NetworkError, "upstream sent a malformed answer", "malformed"),
            _ => Fail(key, question, ExtendedErrorCode.NoReachableAuthority, "upstreams did not answer in time", "timeout"),
        };
    }

    // RFC 4035 §4.7: a bogus answer is remembered (BogusTtl) with its EDE, so a forged zone costs one chain walk per TTL.
    private ForwardOutcome FailBogus(CacheKey key, DnsQuestion question, ValidationResult verdict)
    {
        _metrics.Failure("dnssec_bogus");
        var code = verdict.Error ?? ExtendedErrorCode.DnssecBogus;
        _cache.StoreServerFailure(key, question, code, _bogusTtl);
        return ForwardOutcome.Failed(code, verdict.Reason ?? "DNSSEC validation failed", bogus: true);
    }

    /// <summary>The validator's DS/DNSKEY questions: DO=1 CD=1, from the cache or coalesced with identical queries in flight.</summary>
    private async Task<DnsMessage?> FetchForValidationAsync(DnsName name, RecordType type)
    {
        var key = CacheKey.Create(name.Wire, type, RecordClass.IN, dnssecOk: true, checkingDisabled: true);
        if (_cache.TryGetMessage(key) is { } cached)
            return cached;
        var outcome = await _inFlight.Join(key, _resolve, out _).ConfigureAwait(false);
        return outcome.Answer;
    }

    // RFC 2308 §7: remember the failure briefly (the cache keeps an older answer instead, for serve-stale).
    private ForwardOutcome Fail(CacheKey key, DnsQuestion question, ExtendedErrorCode code, string text, string reason)
    {
        _metrics.Failure(reason);
        _cache.StoreServerFailure(key, question);
        return ForwardOutcome.Failed(code, text);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No upstream answer for {Name} after {Attempts} attempts (last: {LastStatus}, deadline passed: {DeadlinePassed})")]
    private partial void LogFailure(DnsName name, int attempts, string lastStatus, bool deadlinePassed);
}
