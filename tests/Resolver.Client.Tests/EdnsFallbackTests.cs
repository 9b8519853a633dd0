using Resolver.TestKit.Fakes;
using Resolver.Protocol;

namespace Resolver.Client.Tests;

/// <summary>
/// RFC 6891 §7: a server that does not understand OPT may answer FORMERR, NOTIMP or garbage.
/// The exchange asks once more without OPT and remembers the server for a while.
/// </summary>
public class EdnsFallbackTests : ExchangeFixture
{
    private static IEnumerable<FakeReply> RejectOpt(FakeQuery q, DnsResponseCode rcode, bool withOpt = false) =>
        [q.HasOpt ? FakeAnswers.Rcode(q, rcode, withOpt) : FakeAnswers.Answer(q)];

    [Test]
    public async Task Formerr_to_an_edns_query_is_retried_without_opt_and_remembered([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q => RejectOpt(q, DnsResponseCode.FormErr));

        var first = await Run(server, sync);
        var second = await Run(server, sync);

        AssertAnswered(first);
        AssertAnswered(second);
        var seen = server.Queries.Select(q => q.HasOpt).ToArray();
        Assert.That(seen, Is.EqualTo(new[] { true, false, false }), "OPT in each query the server saw");
        Assert.That(Exchange.IsKnownWithoutEdns(server.EndPoint), Is.True);
        Assert.That(Recorder.Total("resolver.client.edns_fallbacks"), Is.EqualTo(1));
    }

    [TestCase(DnsResponseCode.NotImp, false)]
    [TestCase(DnsResponseCode.BadVers, true)]
    public async Task Other_edns_rejections_are_retried_without_opt(DnsResponseCode rcode, bool withOpt)
    {
        using var server = FakeDnsServer.Start(q => RejectOpt(q, rcode, withOpt));

        var result = await Run(server, sync: false);

        AssertAnswered(result);
        Assert.That(server.Queries.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public async Task Garbage_opt_in_the_answer_is_retried_without_opt([Values] bool sync)
    {
        using var server = FakeDnsServer.Start(q => [q.HasOpt ? BrokenOptAnswer(q) : FakeAnswers.Answer(q)]);

        var result = await Run(server, sync);

        AssertAnswered(result);
        Assert.That(server.Queries.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public async Task Memory_of_a_server_without_edns_expires()
    {
        var clock = new ManualClock();
        using var exchange = new DnsExchange(timeProvider: clock);
        using var server = FakeDnsServer.Start(q => RejectOpt(q, DnsResponseCode.FormErr));
        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);

        clock.Advance(TimeSpan.FromMinutes(9));
        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);
        Assert.That(server.Queries.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false, false }), "still remembered after 9 minutes");

        clock.Advance(TimeSpan.FromMinutes(2));
        await Run(exchange, server.EndPoint, QueryA(), FastOptions, sync: false);
        Assert.That(server.Queries.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false, false, true, false }), "EDNS tried again after 11 minutes");
    }

    [Test]
    public async Task Memory_of_a_server_without_edns_does_not_affect_other_servers()
    {
        using var old = FakeDnsServer.Start(q => RejectOpt(q, DnsResponseCode.FormErr));
        using var modern = FakeDnsServer.Start();

        await Run(old, sync: false);
        await Run(modern, sync: false);

        Assert.That(modern.Queries[0].HasOpt, Is.True);
        Assert.That(Exchange.IsKnownWithoutEdns(modern.EndPoint), Is.False);
    }

    [Test]
    public async Task Formerr_to_a_query_without_edns_is_returned_as_the_answer()
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.Rcode(q, DnsResponseCode.FormErr)]);

        var result = await Run(server, sync: false, QueryA() with { UseEdns = false });

        Assert.That(result.Response.ResponseCode, Is.EqualTo(DnsResponseCode.FormErr));
        Assert.That(server.Queries, Has.Count.EqualTo(1));
        Assert.That(Exchange.IsKnownWithoutEdns(server.EndPoint), Is.False);
    }

    [Test]
    public async Task Formerr_to_the_retry_without_opt_is_returned_after_one_retry_only()
    {
        using var server = FakeDnsServer.Start(q => [FakeAnswers.Rcode(q, DnsResponseCode.FormErr)]);

        var result = await Run(server, sync: false);

        Assert.That(result.Response.ResponseCode, Is.EqualTo(DnsResponseCode.FormErr));
        Assert.That(server.Queries.Select(q => q.HasOpt), Is.EqualTo(new[] { true, false }));
    }

    /// <summary>The proper answer with an OPT whose only option claims 5 octets and has none.</summary>
    private static FakeReply BrokenOptAnswer(FakeQuery query)
    {
        byte[] good = FakeAnswers.Response(query).ToArray();
        // The OPT record is last and empty: root(1) type(2) class(2) ttl(4) rdlength(2) = 11 octets.
        byte[] bytes = [.. good, 0x00, 0x0A, 0x00, 0x05];
        bytes[^5] = 4; // RDLENGTH low octet: the option header just appended
        return new FakeReply(bytes);
    }
}
