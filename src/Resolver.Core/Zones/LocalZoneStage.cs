using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// Answers names inside the local zones authoritatively (AA=1) and passes every other name to
/// the next stage. Runs synchronously: a local answer never waits.
/// </summary>
public sealed class LocalZoneStage : IQueryStage
{
    private readonly ZoneCatalog _catalog;
    private readonly LocalZoneOptions _options;
    private readonly ZoneMetrics _metrics;

    public LocalZoneStage(ZoneCatalog catalog, LocalZoneOptions options, ZoneMetrics metrics)
    {
        if (options.MaxCnameChain < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxCnameChain cannot be negative");
        _catalog = catalog;
        _options = options;
        _metrics = metrics;
    }

    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken) =>
        new(Answer(request, response.Span));

    private int Answer(in QueryRequest request, Span<byte> response)
    {
        // One read of the current set per query: a reload swapping it meanwhile cannot mix versions
        // within this answer (a CNAME chain is followed in the same set).
        var zones = _catalog.Current;
        // The zone is found on the question's own bytes: names outside every zone cost no allocation.
        var zone = zones.FindZone(request.QuestionName.Span);
        if (zone is null)
            return StageResult.Pass;
        // Our zones are class IN (RFC 1035 §3.2.4); CH, HS and others are not ours to answer for these
        // names. Zone transfers are not offered.
        if (request.Class is not (RecordClass.IN or RecordClass.ANY) || request.Type is RecordType.AXFR or RecordType.IXFR)
        {
            _metrics.Answered(ZoneOutcome.Refused);
            return ResponseWriter.WriteError(request, DnsResponseCode.Refused, response);
        }

        var answer = ZoneAnswer.Build(zones, zone, request.GetQuestionName(), request.Type, _options, out var outcome);
        if (answer is null)
            return StageResult.Pass;
        _metrics.Answered(outcome);
        int written = ResponseWriter.Write(request, answer, response);
        if (IsTruncated(response, written) && answer.Additionals.Count > 0 && outcome != ZoneOutcome.Referral)
        {
            // RFC 2181 §9: additional addresses that do not fit are left out; they are no reason for
            // TC=1 (a referral's glue is, RFC 9471, so that is written as it is).
            answer.Additionals.Clear();
            written = ResponseWriter.Write(request, answer, response);
        }
        return written;
    }

    // TC is bit 1 of the header's third octet (RFC 1035 §4.1.1).
    private static bool IsTruncated(Span<byte> response, int written) => written > 2 && (response[2] & 0x02) != 0;
}
