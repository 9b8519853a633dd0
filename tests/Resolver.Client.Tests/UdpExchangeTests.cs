using Resolver.TestKit.Fakes;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Client.Tests;

public class UdpExchangeTests : ExchangeFixture
{
    [Test]
    public async Task Answer_over_udp_is_returned_parsed_with_its_size([Values] bool sync)
    {
        int sentSize = 0;
        using var server = FakeDnsServer.Start(q =>
        {
            var reply = FakeAnswers.Answer(q);
            sentSize = reply.Bytes.Length;
            return [reply];
        });

        var result = await Run(server, sync);

        AssertAnswered(result);
        Assert.Multiple(() =>
        {
            Assert.That(result.UsedTcp, Is.False);
            Assert.That(server.UdpQueryCount, Is.EqualTo(1));
            Assert.That(server.TcpQueryCount, Is.Zero);
            Assert.That(result.Response.Id, Is.EqualTo(server.Queries[0].Message.Id), "answer carries the ID that was sent");
            Assert.That(result.ResponseSize, Is.EqualTo(sentSize), "size of the datagram received");
            Assert.That(result.RoundTripTime, Is.GreaterThan(TimeSpan.Zero));
        });
        server.AssertNoErrors();
    }

    [Test]
    public async Task Query_carries_the_requested_header_bits_and_edns_options([Values] bool sync)
    {
        using var server = FakeDnsServer.Start();
        var query = new UpstreamQuery(Name, RecordType.AAAA)
        {
            RecursionDesired = false,
            CheckingDisabled = true,
            DnssecOk = true,
            EdnsOptions = [new PaddingOption(8)],
        };

        await Run(server, sync, query);

        var sent = server.Queries[0].Message;
        Assert.Multiple(() =>
        {
            Assert.That(sent.IsResponse, Is.False);
            Assert.That(sent.RecursionDesired, Is.False);
            Assert.That(sent.CheckingDisabled, Is.True);
            Assert.That(sent.Questions, Is.EqualTo(new[] { new DnsQuestion(Name, RecordType.AAAA) }));
            Assert.That(sent.Edns, Is.Not.Null);
            Assert.That(sent.Edns!.UdpPayloadSize, Is.EqualTo(1232));
            Assert.That(sent.Edns.DnssecOk, Is.True);
            Assert.That(sent.Edns.Options, Has.Count.EqualTo(1).And.One.InstanceOf<PaddingOption>());
        });
    }

    [Test]
    public async Task Query_with_edns_options_larger_than_a_typical_query_is_sent_whole([Values] bool sync)
    {
        // 1,000 octets of padding: more than the small buffer a query is first written into.
        using var server = FakeDnsServer.Start();
        var query = QueryA() with { EdnsOptions = [new PaddingOption(1000)] };

        await Run(server, sync, query);

        var sent = server.Queries[0];
        Assert.Multiple(() =>
        {
            Assert.That(sent.Bytes.Length, Is.GreaterThan(1000));
            Assert.That(sent.Message.Questions, Is.EqualTo(new[] { new DnsQuestion(Name, RecordType.A) }));
            Assert.That(sent.Message.Edns!.Options.OfType<PaddingOption>().Single().Data.Length, Is.EqualTo(1000));
        });
    }

    [Test]
    public async Task Query_without_edns_carries_no_opt_record()
    {
        using var server = FakeDnsServer.Start();

        await Run(server, sync: false, QueryA() with { UseEdns = false });

        Assert.That(server.Queries[0].Message.Edns, Is.Null, server.Queries[0].ToString());
    }

    [Test]
    public async Task Advertised_udp_size_follows_the_options()
    {
        using var server = FakeDnsServer.Start();

        await Run(server, sync: false, options: new ExchangeOptions { UdpPayloadSize = 4096 });

        Assert.That(server.Queries[0].Message.Edns!.UdpPayloadSize, Is.EqualTo(4096));
    }

    [Test]
    public async Task Ids_vary_across_queries()
    {
        using var server = FakeDnsServer.Start();
        const int count = 50;

        for (int i = 0; i < count; i++)
            await Run(server, sync: i % 2 == 0);

        var queries = server.Queries;
        int distinctIds = queries.Select(q => q.Message.Id).Distinct().Count();
        // 50 draws from 65536 IDs collide rarely (p ≈ 2%); 45 distinct leaves ample room.
        // Queries on one reused socket still get a fresh ID each (see UdpSocketReuseTests for ports).
        Assert.That(queries, Has.Count.EqualTo(count));
        Assert.That(distinctIds, Is.GreaterThanOrEqualTo(45), "IDs: " + string.Join(",", queries.Select(q => q.Message.Id)));
    }
}
