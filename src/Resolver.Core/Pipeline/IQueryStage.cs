namespace Resolver.Core.Pipeline;

/// <summary>
/// One step of the pipeline (admission, local zones, cache, forwarder, ...). The first stage
/// that answers wins; a new stage is added without touching the others.
/// </summary>
public interface IQueryStage
{
    /// <summary>
    /// Writes a complete response into <paramref name="response"/> and returns its length,
    /// returns <see cref="StageResult.Drop"/> to send nothing, or <see cref="StageResult.Pass"/>
    /// to let the next stage try. A stage that can answer synchronously (cache hit) should
    /// complete its ValueTask synchronously so the receive loop stays allocation-free.
    /// </summary>
    ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken);
}

/// <summary>The two special results of <see cref="IQueryStage.AnswerAsync"/>.</summary>
public static class StageResult
{
    /// <summary>Not answered here: ask the next stage.</summary>
    public const int Pass = -1;

    /// <summary>Send nothing (rate-limited or blocked client).</summary>
    public const int Drop = 0;
}
