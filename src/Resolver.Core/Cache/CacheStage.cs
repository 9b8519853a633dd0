using Resolver.Core.Pipeline;

namespace Resolver.Core.Cache;

/// <summary>
/// Pipeline stage 2: answers from the response cache inline on the receive loop (synchronously,
/// without allocating), or passes to the next stage. A popular entry near expiry is handed to
/// the refresher, which updates it in the background (prefetch).
/// </summary>
public sealed class CacheStage(ResponseCache cache, ICacheRefresher? refresher = null) : IQueryStage
{
    public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
    {
        int written = cache.TryAnswer(request, response.Span, out bool prefetch);
        if (written == 0)
            return new ValueTask<int>(StageResult.Pass);
        if (prefetch && refresher is not null)
            refresher.Refresh(CacheKey.Create(request.QuestionName.Span, request.Type, request.Class, request.DnssecOk, request.CheckingDisabled));
        return new ValueTask<int>(written);
    }
}
