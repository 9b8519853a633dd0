using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Admission;

/// <summary>
/// The first stage: decides by the client's address whether a query is served, refused or
/// dropped (RFC 5358 §4: a resolver serves the clients it is meant for, not the Internet).
/// </summary>
public sealed class AccessControlStage : IQueryStage
{
    private readonly AccessControlList _list;
    private readonly AdmissionMetrics _metrics;

    public AccessControlStage(AccessControlOptions options, AdmissionMetrics metrics)
        : this(new AccessControlList(options), metrics)
    {
    }

    internal AccessControlStage(AccessControlList list, AdmissionMetrics metrics)
    {
        _list = list;
        _metrics = metrics;
    }

    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        switch (_list.Decide(request.Context.Client.Address))
        {
            case AccessAction.Allow:
                return new ValueTask<int>(StageResult.Pass);
            case AccessAction.Drop:
                _metrics.Dropped(AdmissionMetrics.AccessControl);
                return new ValueTask<int>(StageResult.Drop);
            default:
                _metrics.Refused(AdmissionMetrics.AccessControl);
                return new ValueTask<int>(ResponseWriter.WriteError(request, DnsResponseCode.Refused, response.Span));
        }
    }
}
