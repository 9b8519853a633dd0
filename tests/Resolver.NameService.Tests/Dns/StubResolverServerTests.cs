using System.Diagnostics;
using Resolver.Client;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;
using static Resolver.NameService.Tests.Dns.UpstreamReplies;

namespace Resolver.NameService.Tests.Dns;

/// <summary>
/// Which servers the stub resolver asks, how often, how long it waits and over what transport:
/// glibc's res_send rules, checked against real fake servers on loopback ephemeral ports.
/// </summary>
public class StubResolverServerTests
{
    private readonly List<IDisposable> _disposables = new();

    [TearDown]
    public void StopServers()
    {
        foreach (IDisposable d in _disposables) d.Dispose();
        _disposables.Clear();
    }

    private FakeDnsServer Server(Func<FakeQuery, IEnumerable<FakeReply>>? handler = null)
    {
        FakeDnsServer server = FakeDnsServer.Start(handler ?? (q => Answer(q, A(Name(q), "192.0.2.1"))));
        _disposables.Add(server);
        return server;
    }

    private FakeDnsServer Silent() => Server(_ => []);

    private StubResolver Stub(string resolvConf, FakeDnsServer[] servers, int rotationStart = 0)
    {
        ResolvConf conf = ResolvConf.Parse(resolvConf) with { Nameservers = servers.Select(s => s.EndPoint).ToArray() };
        var stub = new StubResolver(conf, new DnsExchange(), rotationStart);
        _disposables.Add(stub);
        return stub;
    }

    private static DnsHostAnswer Ask(StubResolver stub, string name, bool async, DnsQueryType type = DnsQueryType.A) =>
        async ? stub.LookupAsync(name, type).AsTask().GetAwaiter().GetResult() : stub.Lookup(name, type);

    [Test]
    public void A_silent_first_server_costs_one_timeout_then_the_second_answers([Values] bool async)
    {
        FakeDnsServer silent = Silent(), good = Server();
        StubResolver stub = Stub("options timeout:1\n", [silent, good]);
        var clock = Stopwatch.StartNew();
        DnsHostAnswer answer = Ask(stub, "www.test.", async);
        Assert.That(answer.Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That(answer.Addresses.Select(a => a.ToString()), Is.EqualTo(new[] { "192.0.2.1" }));
        Assert.That(silent.Queries, Has.Count.EqualTo(1));
        Assert.That(good.Queries, Has.Count.EqualTo(1));
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(900)), "the first server gets its whole second");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Attempts_rounds_go_over_every_server_in_order_then_give_up_with_try_again()
    {
        FakeDnsServer first = Silent(), second = Silent();
        StubResolver stub = Stub("options timeout:1 attempts:2\n", [first, second]);
        var clock = Stopwatch.StartNew();
        DnsHostAnswer answer = stub.Lookup("www.test.", DnsQueryType.A);
        Assert.That(answer.Outcome, Is.EqualTo(DnsLookupOutcome.TryAgain));
        Assert.That(first.WaitForQueries(2), Has.Count.EqualTo(2));
        Assert.That(second.WaitForQueries(2), Has.Count.EqualTo(2));
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(3.5)), "4 tries of 1 s each");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void Without_rotate_every_question_starts_at_the_first_server()
    {
        FakeDnsServer a = Server(), b = Server(), c = Server();
        StubResolver stub = Stub("", [a, b, c], rotationStart: 0);
        for (int i = 0; i < 3; i++) Assert.That(stub.Lookup($"n{i}.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That((a.Queries.Count, b.Queries.Count, c.Queries.Count), Is.EqualTo((3, 0, 0)));
    }

    [Test]
    public void Rotate_starts_each_question_one_server_further()
    {
        FakeDnsServer a = Server(), b = Server(), c = Server();
        StubResolver stub = Stub("options rotate\n", [a, b, c], rotationStart: 0);
        string[] names = ["n0.test.", "n1.test.", "n2.test.", "n3.test."];
        foreach (string name in names) Assert.That(stub.Lookup(name, DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That(b.Queries.Select(UpstreamReplies.Name), Is.EqualTo(new[] { "n0.test.", "n3.test." }));
        Assert.That(c.Queries.Select(UpstreamReplies.Name), Is.EqualTo(new[] { "n1.test." }));
        Assert.That(a.Queries.Select(UpstreamReplies.Name), Is.EqualTo(new[] { "n2.test." }));
    }

    [Test]
    public void Rotate_still_falls_back_to_the_other_servers_in_list_order()
    {
        FakeDnsServer a = Server(), b = Silent(), c = Server();
        StubResolver stub = Stub("options rotate timeout:1\n", [a, b, c], rotationStart: 0);
        Assert.That(stub.Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That((a.Queries.Count, b.Queries.Count, c.Queries.Count), Is.EqualTo((0, 1, 1)), "start at b, then c");
    }

    [Test]
    public void A_truncated_udp_answer_is_asked_again_over_tcp_of_the_same_server([Values] bool async)
    {
        FakeDnsServer server = Server(q => q.OverTcp
            ? Answer(q, A(Name(q), "192.0.2.7"), A(Name(q), "192.0.2.8"))
            : [FakeAnswers.Truncated(q)]);
        DnsHostAnswer answer = Ask(Stub("", [server]), "big.test.", async);
        Assert.That(answer.Addresses.Select(a => a.ToString()), Is.EqualTo(new[] { "192.0.2.7", "192.0.2.8" }));
        Assert.That(server.Queries.Select(q => q.OverTcp), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void Use_vc_asks_over_tcp_only()
    {
        FakeDnsServer server = Server();
        Assert.That(Stub("options use-vc\n", [server]).Lookup("a.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That(server.Queries.Select(q => q.OverTcp), Is.EqualTo(new[] { true }));
    }

    [Test]
    public void No_opt_record_is_sent_unless_edns0_and_then_1200_octets_are_advertised()
    {
        FakeDnsServer server = Server();
        Stub("", [server]).Lookup("plain.test.", DnsQueryType.A);
        Stub("options edns0\n", [server]).Lookup("edns.test.", DnsQueryType.A);
        IReadOnlyList<FakeQuery> queries = server.Queries;
        Assert.That(queries[0].HasOpt, Is.False, queries[0].ToString());
        Assert.That(queries[1].HasOpt, Is.True, queries[1].ToString());
        Assert.That(queries[1].Message.Edns!.UdpPayloadSize, Is.EqualTo(1200));
        Assert.That(queries.Select(q => q.Message.RecursionDesired), Is.All.True);
    }

    [TestCase(DnsResponseCode.ServFail)]
    [TestCase(DnsResponseCode.Refused)]
    [TestCase(DnsResponseCode.NotImp)]
    public void Servfail_refused_and_notimp_move_on_to_the_next_server(DnsResponseCode rcode)
    {
        FakeDnsServer failing = Server(q => Rcode(q, rcode)), good = Server();
        DnsHostAnswer answer = Stub("", [failing, good]).Lookup("x.test.", DnsQueryType.A);
        Assert.That(answer.Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That((failing.Queries.Count, good.Queries.Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public void Servfail_from_every_server_in_every_round_is_server_failure()
    {
        FakeDnsServer a = Server(q => Rcode(q, DnsResponseCode.ServFail)), b = Server(q => Rcode(q, DnsResponseCode.ServFail));
        DnsHostAnswer answer = Stub("options attempts:2\n", [a, b]).Lookup("x.test.", DnsQueryType.A);
        Assert.That(answer.Outcome, Is.EqualTo(DnsLookupOutcome.ServerFailure));
        Assert.That((a.Queries.Count, b.Queries.Count), Is.EqualTo((2, 2)));
    }

    [Test]
    public void Refused_from_every_server_is_try_again_as_glibc_reports_it()
    {
        FakeDnsServer a = Server(q => Rcode(q, DnsResponseCode.Refused));
        Assert.That(Stub("options attempts:1\n", [a]).Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.TryAgain));
    }

    [Test]
    public void A_bare_referral_without_ra_moves_on_like_send_dg_does()
    {
        FakeDnsServer lame = Server(q =>
        {
            DnsMessage m = To(q);
            m.RecursionAvailable = false;
            return m.Send();
        });
        FakeDnsServer good = Server();
        Assert.That(Stub("", [lame, good]).Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That(good.Queries, Has.Count.EqualTo(1));
    }

    [Test]
    public void Formerr_is_kept_as_the_answer_and_is_no_recovery()
    {
        FakeDnsServer a = Server(q => Rcode(q, DnsResponseCode.FormErr)), b = Server();
        Assert.That(Stub("", [a, b]).Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Fail));
        Assert.That(b.Queries, Is.Empty);
    }

    [Test]
    public void An_unreadable_reply_to_our_question_fails_without_asking_further()
    {
        FakeDnsServer broken = Server(q => [FakeAnswers.BrokenAfterQuestion(q)]), good = Server();
        Assert.That(Stub("", [broken, good]).Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.Fail));
        Assert.That(good.Queries, Is.Empty);
    }

    [Test]
    public void Attempts_zero_sends_nothing()
    {
        FakeDnsServer server = Server();
        Assert.That(Stub("options attempts:0\n", [server]).Lookup("x.test.", DnsQueryType.A).Outcome, Is.EqualTo(DnsLookupOutcome.TryAgain));
        Assert.That(server.Queries, Is.Empty);
    }

    [TestCase(5, 0, 1, 5)]
    [TestCase(5, 1, 2, 5)]
    [TestCase(5, 1, 3, 3)]
    [TestCase(5, 2, 3, 6)]
    [TestCase(1, 1, 3, 1)]
    [TestCase(0, 0, 1, 1)]
    public void The_wait_per_try_is_send_dg_formula(int timeout, int index, int count, int expectedSeconds)
    {
        Assert.That(NameserverWalk.TryTimeout(timeout, index, count), Is.EqualTo(TimeSpan.FromSeconds(expectedSeconds)));
    }
}
