using Microsoft.Extensions.Logging;
using Resolver.Protocol;

namespace Resolver.Core.Pipeline;

/// <summary>
/// The query handler behind every listener: asks the admission stages about the client first
/// (before reading more than the header, so a dropped client gets nothing, not even FORMERR),
/// reads the header and question once, turns bad queries into clear answers (FORMERR, NOTIMP,
/// BADVERS) or silence (responses, QR=1), then asks each other stage in order until one
/// answers. Nothing that arrives can make it throw.
/// </summary>
public sealed partial class QueryPipeline : IQueryHandler
{
    private readonly IQueryStage[] _stages;
    private readonly IClientAdmission[] _admissions;
    private readonly ushort _advertisedUdpSize;
    private readonly ILogger<QueryPipeline> _logger;
    private readonly IQueryObserver? _observer;

    public QueryPipeline(IEnumerable<IQueryStage> stages, PipelineOptions options, ILogger<QueryPipeline> logger, IQueryObserver? observer = null)
    {
        _observer = observer;
        // Stages that decide by address alone run early, in the order given, instead of in the loop.
        var all = stages.ToArray();
        _admissions = all.OfType<IClientAdmission>().ToArray();
        _stages = all.Where(stage => stage is not IClientAdmission).ToArray();
        _advertisedUdpSize = options.EdnsUdpPayloadSize;
        _logger = logger;
    }

    public ValueTask<int> HandleAsync(ReadOnlyMemory<byte> query, Memory<byte> response, QueryContext context, CancellationToken cancellationToken)
    {
        var admission = Admit(query, response.Span, context, out var request);
        if (admission != StageResult.Pass)
            return new ValueTask<int>(EncryptedPadding.Apply(request, response.Span, admission));
        var answer = Answer(request, response, cancellationToken);
        if (!EncryptedPadding.Applies(request))
            return answer;
        return answer.IsCompletedSuccessfully
            ? new ValueTask<int>(EncryptedPadding.Apply(request, response.Span, answer.Result))
            : PadWhenDoneAsync(answer, request, response);
    }

    private ValueTask<int> Answer(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        if (_observer is null || !_observer.ShouldTrace())
            return RunStages(request, response, 0, cancellationToken);
        var traced = request with { Trace = new QueryTrace(System.Diagnostics.Stopwatch.GetTimestamp()) };
        var pending = RunStages(traced, response, 0, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
            return ReportWhenDoneAsync(pending, traced, response);
        Report(traced, response.Span, pending.Result);
        return pending;
    }

    private static async ValueTask<int> PadWhenDoneAsync(ValueTask<int> pending, QueryRequest request, Memory<byte> response)
    {
        int length = await pending.ConfigureAwait(false);
        return EncryptedPadding.Apply(request, response.Span, length);
    }

    private async ValueTask<int> ReportWhenDoneAsync(ValueTask<int> pending, QueryRequest request, Memory<byte> response)
    {
        int length = await pending.ConfigureAwait(false);
        Report(request, response.Span, length);
        return length;
    }

    private void Report(in QueryRequest request, ReadOnlySpan<byte> response, int length)
    {
        if (length <= 0)
            return;
        try
        {
            _observer!.Answered(request, response[..length], request.Trace!);
        }
        catch (Exception error)
        {
            // The log must never cost the client its answer.
            LogObserverFailed(error);
        }
    }

    /// <summary>Returns <see cref="StageResult.Pass"/> with a request, or the length of an error answer (0 = drop).</summary>
    private int Admit(ReadOnlyMemory<byte> query, Span<byte> response, QueryContext context, out QueryRequest request)
    {
        request = default;
        var bytes = query.Span;
        if (!DnsHeader.TryRead(bytes, out var header))
            return StageResult.Drop;
        // Never answer a response: that is how reflection loops between servers start.
        if (header.IsResponse)
            return StageResult.Drop;
        var verdict = AdmitClient(context.Client.Address);
        if (verdict == AdmissionVerdict.Drop)
            return StageResult.Drop;
        if (header.Opcode != DnsOpcode.Query)
            return ResponseWriter.WriteHeaderOnly(bytes, RefusedOr(verdict, DnsResponseCode.NotImp), response);
        if (header.QuestionCount != 1)
            return ResponseWriter.WriteHeaderOnly(bytes, RefusedOr(verdict, DnsResponseCode.FormErr), response);

        QueryInfo info;
        Span<byte> name = stackalloc byte[255];
        try
        {
            info = QueryReader.Read(bytes, name);
        }
        catch (DnsFormatException error)
        {
            LogMalformedQuery(context.Client, error.Message);
            return ResponseWriter.WriteHeaderOnly(bytes, RefusedOr(verdict, DnsResponseCode.FormErr), response);
        }
        // A query's only name comes first; a pointer in it can only point into the header.
        if (info.QuestionLength != info.NameLength + 4)
            return ResponseWriter.WriteHeaderOnly(bytes, RefusedOr(verdict, DnsResponseCode.FormErr), response);

        request = new QueryRequest(query, info, context, _advertisedUdpSize);
        if (verdict == AdmissionVerdict.Refuse)
            return ResponseWriter.WriteError(request, DnsResponseCode.Refused, response);
        // RFC 6891 §6.1.3: we speak EDNS version 0 only.
        if (info.Edns.Present && info.Edns.Version > 0)
            return ResponseWriter.WriteError(request, DnsResponseCode.BadVers, response);
        return StageResult.Pass;
    }

    // A refused client hears REFUSED whatever else is wrong with its message.
    private static DnsResponseCode RefusedOr(AdmissionVerdict verdict, DnsResponseCode code) =>
        verdict == AdmissionVerdict.Refuse ? DnsResponseCode.Refused : code;

    private AdmissionVerdict AdmitClient(System.Net.IPAddress client)
    {
        foreach (var admission in _admissions)
        {
            var verdict = admission.Admit(client);
            if (verdict != AdmissionVerdict.Admit)
                return verdict;
        }
        return AdmissionVerdict.Admit;
    }

    private ValueTask<int> RunStages(QueryRequest request, Memory<byte> response, int first, CancellationToken cancellationToken)
    {
        for (int i = first; i < _stages.Length; i++)
        {
            ValueTask<int> pending;
            try
            {
                pending = _stages[i].AnswerAsync(request, response, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                return new ValueTask<int>(Fail(request, response.Span, error));
            }
            if (!pending.IsCompletedSuccessfully)
                return AwaitStage(pending, request, response, i, cancellationToken);
            int result = pending.Result;
            if (result != StageResult.Pass)
            {
                if (request.Trace is { } trace)
                    trace.AnsweredBy = _stages[i];
                return new ValueTask<int>(result);
            }
        }
        // No stage could answer (no zone, no upstream): refuse rather than pretend.
        return new ValueTask<int>(ResponseWriter.WriteError(request, DnsResponseCode.Refused, response.Span));
    }

    private async ValueTask<int> AwaitStage(ValueTask<int> pending, QueryRequest request, Memory<byte> response, int index, CancellationToken cancellationToken)
    {
        int result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping and the grace period is over: the client hears SERVFAIL now instead of
            // nothing (it would otherwise wait out its own timeout, then retry a server that is gone).
            return ResponseWriter.WriteError(request, DnsResponseCode.ServFail, response.Span);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return Fail(request, response.Span, error);
        }
        if (result != StageResult.Pass)
        {
            if (request.Trace is { } trace)
                trace.AnsweredBy = _stages[index];
            return result;
        }
        return await RunStages(request, response, index + 1, cancellationToken).ConfigureAwait(false);
    }

    // A bug in a stage must cost one SERVFAIL, not the listener.
    private int Fail(in QueryRequest request, Span<byte> response, Exception error)
    {
        LogStageFailure(error, request.Context.Client);
        return ResponseWriter.WriteError(request, DnsResponseCode.ServFail, response);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Malformed query from {Client}: {Reason}")]
    private partial void LogMalformedQuery(System.Net.IPEndPoint client, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The query observer (query log) failed; the answer was sent")]
    private partial void LogObserverFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pipeline stage failed answering {Client}")]
    private partial void LogStageFailure(Exception error, System.Net.IPEndPoint client);
}
