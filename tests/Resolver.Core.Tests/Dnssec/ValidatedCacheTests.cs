using System.Net;
using Resolver.Core.Dnssec;
using Resolver.Core.Pipeline;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Tests.Dnssec;

/// <summary>The forwarder's validation hook and what the cache keeps of its verdict.</summary>
public class ValidatedCacheTests
{
    private sealed class FixedVerdict(ValidationResult result) : IAnswerValidator
    {
        public int Calls;

        public Task<ValidationResult> ValidateAsync(DnsMessage upstream, DnsMessage scrubbed, DnssecFetch fetch)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(result);
        }
    }

    [Test]
    public async Task Secure_answer_is_asked_with_do_and_cd_and_its_cache_hits_carry_ad_without_validating_or_allocating()
    {
        var validator = new FixedVerdict(ValidationResult.Secure);
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), cache: c => c.Prefetch = false, validator: validator);
        var query = ResolverHarness.Query("www.example.", edns: new EdnsRecord { DnssecOk = true });
        var first = await resolver.AskAsync(query);
        Assert.That(first.AuthenticData, Is.True);
        Assert.That(resolver.Upstream.Log.Single().Query.DnssecOk && resolver.Upstream.Log.Single().Query.CheckingDisabled, Is.True,
            "a validating forwarder asks upstream with DO=1 and CD=1");

        var response = new byte[65535];
        var context = new QueryContext(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
        for (int i = 0; i < 100; i++)
            _ = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None).Result;
        const int hits = 10_000;
        int length = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < hits; i++)
        {
            var pending = resolver.Pipeline.HandleAsync(query, response, context, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
                Assert.Fail("a cache hit must complete synchronously");
            length = pending.Result;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(DnsMessage.Parse(response.AsSpan(0, length)).AuthenticData, Is.True, "AD comes from the cached verdict");
        Assert.That(validator.Calls, Is.EqualTo(1), "a hit costs no validation");
        Assert.That(allocated / (double)hits, Is.LessThan(1.0), $"{allocated} bytes over {hits} hits");
    }

    [Test]
    public async Task Bogus_answer_is_servfail_with_its_ede_from_upstream_and_from_the_cache()
    {
        var validator = new FixedVerdict(ValidationResult.Bogus(ExtendedErrorCode.SignatureExpired, "RRSIG expired"));
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), validator: validator);
        var query = ResolverHarness.Query("www.example.", edns: new EdnsRecord { DnssecOk = true });
        foreach (var reply in new[] { await resolver.AskAsync(query), await resolver.AskAsync(query) })
        {
            Assert.That(reply.ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
            Assert.That(reply.Edns!.Options.OfType<ExtendedErrorOption>().Single().InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.SignatureExpired));
        }
        Assert.That(validator.Calls, Is.EqualTo(1), "the bogus verdict is cached (RFC 4035 §4.7)");
    }

    [Test]
    public async Task Client_cd_gets_the_data_unvalidated()
    {
        var validator = new FixedVerdict(ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, "forged"));
        using var resolver = new ResolverHarness(new FakeExchange(FakeReply.Address()), validator: validator);
        var query = ResolverHarness.Query("www.example.", edns: new EdnsRecord { DnssecOk = true }, checkingDisabled: true);
        var reply = await resolver.AskAsync(query);
        Assert.That(reply.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
        Assert.That(reply.AuthenticData, Is.False);
        Assert.That(validator.Calls, Is.Zero);
    }
}
