using System.Collections.Concurrent;
using Resolver.Core.Pipeline;

namespace Resolver.Server.Tests;

/// <summary>
/// A test handler: answers REFUSED synchronously (like a cache hit), except for query IDs the test holds, which
/// answer only when the test releases them (like an upstream miss). No timing: the test decides the order.
/// </summary>
internal sealed class GatedHandler : IQueryHandler
{
    private readonly RefusingHandler answer = new();
    private readonly ConcurrentDictionary<ushort, Gate> gates = new();
    private readonly ConcurrentDictionary<ushort, Gate> blockers = new();
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    /// <summary>When set, queries with this ID make the handler throw.</summary>
    public ushort? ThrowFor { get; set; }

    /// <summary>Holds queries with this ID until <see cref="Gate.Release"/>.</summary>
    public Gate Hold(ushort id) => gates.GetOrAdd(id, _ => new Gate());

    /// <summary>
    /// Blocks the thread that handles a query with this ID (the receive loop itself, for a UDP query) until
    /// <see cref="Gate.Release"/>, or 30 s, as a loop that is not scheduled would be.
    /// </summary>
    public Gate BlockThread(ushort id) => blockers.GetOrAdd(id, _ => new Gate());

    public ValueTask<int> HandleAsync(ReadOnlyMemory<byte> query, Memory<byte> response, QueryContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        ushort id = TestMessages.IdOf(query.Span);
        if (id == ThrowFor)
        {
            throw new InvalidOperationException("handler failure for the test");
        }

        if (blockers.TryGetValue(id, out Gate? blocker))
        {
            blocker.Entered.TrySetResult();
            blocker.Released.Task.Wait(TimeSpan.FromSeconds(30), cancellationToken);
        }

        if (gates.TryGetValue(id, out Gate? gate))
        {
            return AnswerWhenReleasedAsync(gate, query, response, context, cancellationToken);
        }

        return answer.HandleAsync(query, response, context, cancellationToken);
    }

    private async ValueTask<int> AnswerWhenReleasedAsync(
        Gate gate, ReadOnlyMemory<byte> query, Memory<byte> response, QueryContext context, CancellationToken cancellationToken)
    {
        gate.Entered.TrySetResult();
        await gate.Released.Task.WaitAsync(cancellationToken);
        return await answer.HandleAsync(query, response, context, cancellationToken);
    }

    internal sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
