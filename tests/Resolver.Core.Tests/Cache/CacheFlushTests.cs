using System.Net;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Cache;

public class CacheFlushTests
{
    // Answers A and AAAA queries with a record of the asked type (a NODATA without SOA would not be cached).
    private static FakeExchange Upstream(TimeSpan delay = default) => new(FakeReply.Records(q => FakeReply.Answer(q,
        q.Type == RecordType.AAAA
            ? new DnsRecord(q.Name, RecordType.AAAA, RecordClass.IN, 300, new AaaaRecordData(IPAddress.Parse("2001:db8::1")))
            : new DnsRecord(q.Name, RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse("192.0.2.1")))), delay));

    [Test]
    public async Task Flushed_name_is_fetched_from_upstream_again_in_every_variant()
    {
        using var resolver = new ResolverHarness(Upstream());
        byte[][] variants =
        [
            ResolverHarness.Query("a.example."),
            ResolverHarness.Query("a.example.", RecordType.AAAA),
            ResolverHarness.Query("a.example.", edns: new EdnsRecord { DnssecOk = true }),
            ResolverHarness.Query("a.example.", checkingDisabled: true),
        ];
        foreach (var query in variants)
            await resolver.AskAsync(query);
        await resolver.AskAsync("b.example.");
        await resolver.AskAsync("x.a.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(6));

        int removed = resolver.Cache.FlushName(DnsName.Parse("A.EXAMPLE."));

        Assert.That(removed, Is.EqualTo(4), "every type/DO/CD variant of the name, in any letter case");
        foreach (var query in variants)
            await resolver.AskAsync(query);
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(10), "each flushed variant went upstream again");
        await resolver.AskAsync("b.example.");
        await resolver.AskAsync("x.a.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(10), "other names, names below included, stayed cached");
    }

    [Test]
    public async Task Suffix_flush_removes_the_name_and_everything_below_but_not_siblings()
    {
        using var resolver = new ResolverHarness(Upstream());
        string[] below = ["example.", "www.example.", "a.b.example."];
        string[] kept = ["badexample.", "example.org.", "www.example.org.", "ample."];
        foreach (var name in below.Concat(kept))
            await resolver.AskAsync(name);
        int calls = resolver.Upstream.Calls;

        int removed = resolver.Cache.FlushSuffix(DnsName.Parse("Example."));

        Assert.That(removed, Is.EqualTo(below.Length));
        foreach (var name in kept)
            await resolver.AskAsync(name);
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(calls), "a label-boundary suffix: badexample. and ample. are not below example.");
        foreach (var name in below)
            await resolver.AskAsync(name);
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(calls + below.Length));
    }

    [Test]
    public async Task Flush_all_and_flush_of_the_root_empty_the_cache()
    {
        using var resolver = new ResolverHarness(Upstream());
        string[] names = ["a.example.", "b.example.", "c.example.org.", "d.test.", "e."];
        foreach (var name in names)
            await resolver.AskAsync(name);

        Assert.That(resolver.Cache.FlushAll(), Is.EqualTo(names.Length));
        Assert.That(resolver.Cache.Count, Is.Zero);
        foreach (var name in names)
            await resolver.AskAsync(name);
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2 * names.Length));

        Assert.That(resolver.Cache.FlushSuffix(DnsName.Root), Is.EqualTo(names.Length));
        Assert.That(resolver.Cache.Count, Is.Zero);
    }

    [Test]
    public async Task Answer_asked_for_before_a_flush_is_given_to_the_client_but_not_cached()
    {
        using var resolver = new ResolverHarness(Upstream(delay: TimeSpan.FromMilliseconds(150)));
        var pending = resolver.AskAsync("a.example.");
        await Eventually.TrueWithinAsync(() => resolver.Upstream.Calls > 0, TimeSpan.FromSeconds(1));
        resolver.Cache.FlushName(DnsName.Parse("a.example."));
        var answer = await pending;
        Assert.That(answer.Answers, Has.Count.EqualTo(1), "the client still gets its answer");

        await resolver.AskAsync("a.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2), "the answer in flight during the flush was not cached");
        await resolver.AskAsync("a.example.");
        Assert.That(resolver.Upstream.Calls, Is.EqualTo(2), "the next answer was");
    }
}
