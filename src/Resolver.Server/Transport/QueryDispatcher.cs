using System.Net;
using Resolver.Core.Pipeline;

namespace Resolver.Server.Transport;

/// <summary>
/// What every transport does with a query once it has the bytes: counts it in flight, hands it to the handler, and
/// turns what the handler did (an answer's length, nothing, a failure, a cancellation) into the bytes to send or a
/// counted, logged drop. UDP's receive strategies and the TCP connection all go through this one mapping, so a drop
/// reason means the same on both.
/// </summary>
internal sealed class QueryDispatcher(IQueryHandler handler, ListenerContext shared, string transport, ClientTransport clientTransport)
{
    /// <summary>The transport's tag in metrics and logs (<see cref="TransportTags.Udp"/>, <see cref="TransportTags.Tcp"/>).</summary>
    public string Transport { get; } = transport;

    /// <summary>
    /// Counts the query in flight and starts it. A handler that throws instead of returning gives a faulted answer,
    /// so the caller has one path for every outcome; either way the caller ends with <see cref="Complete"/> or
    /// <see cref="Settle"/>/<see cref="Failed"/>, then <see cref="Exit"/>.
    /// </summary>
    /// <param name="abort">Cancels the handler: the stop's grace period is over (or the TCP connection was aborted).</param>
    public ValueTask<int> Start(ReadOnlyMemory<byte> query, Memory<byte> response, IPEndPoint client, CancellationToken abort)
    {
        shared.InFlight.Enter();
        try
        {
            return handler.HandleAsync(query, response, new QueryContext(client, clientTransport), abort);
        }
        catch (Exception e)
        {
            // Only on a handler's bug: the allocation does not matter there.
            return ValueTask.FromException<int>(e);
        }
    }

    /// <summary>The length to send for an answer that has completed, or 0 when there is nothing to send (counted).</summary>
    public int Complete(ValueTask<int> answer, int capacity, IPEndPoint client)
    {
        try
        {
            return Settle(answer.Result, capacity, client);
        }
        catch (Exception e)
        {
            return Failed(e, client);
        }
    }

    /// <summary>The length to send for the handler's <paramref name="length"/>; 0 (counted) when it is none or invalid.</summary>
    public int Settle(int length, int capacity, IPEndPoint client)
    {
        if (length == 0)
        {
            Drop(TransportTags.NoAnswer, client);
        }
        else if (length < 0 || length > capacity)
        {
            Drop(TransportTags.HandlerError, client);
            return 0;
        }

        return length;
    }

    /// <summary>Counts and logs a handler's failure; returns 0, the length to send.</summary>
    public int Failed(Exception e, IPEndPoint client)
    {
        if (e is OperationCanceledException)
        {
            // The stop's grace period ran out with the query still waiting.
            Drop(TransportTags.Cancelled, client);
        }
        else
        {
            shared.Metrics.QueryDropped(Transport, TransportTags.HandlerError);
            TransportLog.HandlerFailed(shared.Logger, e, Transport, client);
        }

        return 0;
    }

    /// <summary>The query is over (answered or dropped): a stop's drain stops waiting for it.</summary>
    public void Exit() => shared.InFlight.Exit();

    /// <summary>Counts an answer that went out.</summary>
    public void Sent(ReadOnlySpan<byte> response) => shared.Metrics.ResponseSent(Transport, response);

    /// <summary>Counts and logs (at Debug) a query that gets no answer.</summary>
    public void Drop(string reason, IPEndPoint client)
    {
        shared.Metrics.QueryDropped(Transport, reason);
        TransportLog.QueryDropped(shared.Logger, Transport, client, reason);
    }
}
