using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Admission;

/// <summary>
/// The first stage: decides by the client's address whether a query is served, refused or
/// dropped (RFC 5358 §4: a resolver serves the clients it is meant for, not the Internet).
/// </summary>
public sealed class AccessControlStage : IQueryStage, IClientAdmission
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

    public AdmissionVerdict Admit(System.Net.IPAddress client)
    {
        switch (_list.Decide(client))
        {
            case AccessAction.Allow:
                return AdmissionVerdict.Admit;
            case AccessAction.Drop:
                _metrics.Dropped(AdmissionMetrics.AccessControl);
                return AdmissionVerdict.Drop;
            default:
                _metrics.Refused(AdmissionMetrics.AccessControl);
                return AdmissionVerdict.Refuse;
        }
    }

    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken) =>
        new(AdmissionAnswer.For(Admit(request.Context.Client.Address), request, response.Span));
}
