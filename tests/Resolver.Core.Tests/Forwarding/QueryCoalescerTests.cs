using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>Coalescing of identical queries in flight.</summary>
public class QueryCoalescerTests
{
    private static readonly CacheKey Key = CacheKey.Create(DnsName.Parse("www.example.com.").Wire, RecordType.A, RecordClass.IN, false, false);

    [Test]
    public async Task Identical_query_asked_while_one_is_running_joins_it()
    {
        var queries = new QueryCoalescer();
        var upstream = new TaskCompletionSource<ForwardOutcome>();
        int started = 0;

        var first = queries.Join(Key, _ => { started++; return upstream.Task; }, out bool firstJoined);
        var second = queries.Join(Key, _ => { started++; return upstream.Task; }, out bool secondJoined);
        upstream.SetResult(Outcome());
        await Task.WhenAll(first, second);

        Assert.Multiple(() =>
        {
            Assert.That(firstJoined, Is.False);
            Assert.That(secondJoined, Is.True);
            Assert.That(started, Is.EqualTo(1));
            Assert.That(second.Result, Is.SameAs(first.Result));
        });
    }

    [Test]
    public async Task Query_asked_from_a_waiters_continuation_starts_afresh()
    {
        // Waiters continue on the completing thread; by then the finished query must be out of the table,
        // or a query asked from there would be answered with the old outcome without asking upstream.
        var queries = new QueryCoalescer();
        var upstream = new TaskCompletionSource<ForwardOutcome>();
        bool? joinedFromContinuation = null;

        var first = queries.Join(Key, _ => upstream.Task, out _);
        var continuation = first.ContinueWith(
            _ =>
            {
                queries.Join(Key, _ => Task.FromResult(Outcome()), out bool joined);
                return joined;
            },
            TaskContinuationOptions.ExecuteSynchronously);
        upstream.SetResult(Outcome());
        joinedFromContinuation = await continuation;

        Assert.That(joinedFromContinuation, Is.False);
        Assert.That(queries.Count, Is.Zero);
    }

    [Test]
    public void Failed_query_fails_every_waiter_and_leaves_the_table()
    {
        var queries = new QueryCoalescer();
        var upstream = new TaskCompletionSource<ForwardOutcome>();

        var first = queries.Join(Key, _ => upstream.Task, out _);
        var second = queries.Join(Key, _ => upstream.Task, out _);
        upstream.SetException(new InvalidOperationException("upstream broke"));

        Assert.Multiple(() =>
        {
            Assert.That(async () => await first, Throws.InvalidOperationException);
            Assert.That(async () => await second, Throws.InvalidOperationException);
            Assert.That(queries.Count, Is.Zero);
        });
    }

    private static ForwardOutcome Outcome() => ForwardOutcome.Failed(ExtendedErrorCode.NetworkError, "test outcome");
}
