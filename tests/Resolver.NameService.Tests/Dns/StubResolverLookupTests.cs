using System.Net;
using Resolver.Client;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;
using static Resolver.NameService.Tests.Dns.UpstreamReplies;

namespace Resolver.NameService.Tests.Dns;

/// <summary>
/// getaddrinfo / gethostbyname / getnameinfo answered by DNS: the stub resolver against a fake
/// upstream on loopback, from the questions the server sees to the EAI code the caller gets.
/// </summary>
public class StubResolverLookupTests
{
    private FakeDnsServer _server = null!;
    private StubResolver? _stub;

    /// <summary>What the fake upstream knows; anything else is NXDOMAIN.</summary>
    private Dictionary<(string Name, RecordType Type), Func<FakeQuery, IEnumerable<FakeReply>>> _zone = null!;

    [SetUp]
    public void StartServer()
    {
        _zone = new();
        _server = FakeDnsServer.Start(q =>
            _zone.TryGetValue((Name(q), Type(q)), out var reply) ? reply(q)
            : _zone.ContainsKey((Name(q), RecordType.ANY)) ? Answer(q) // the name exists: NODATA
            : Rcode(q, DnsResponseCode.NXDomain));
    }

    [TearDown]
    public void StopServer()
    {
        _server.AssertNoErrors();
        _server.Dispose();
        _stub?.Dispose();
    }

    private NameServiceSources Sources(string resolvConf = "options timeout:1 attempts:1\n")
    {
        ResolvConf conf = ResolvConf.Parse(resolvConf) with { Nameservers = [_server.EndPoint] };
        _stub = new StubResolver(conf, new DnsExchange());
        return TestData.Sources(hosts: "127.0.0.1 localhost\n") with { ResolvConf = conf, Dns = _stub, ReverseDns = _stub };
    }

    private static AddrInfoResult Resolve(NameServiceSources sources, string node, AddrInfoHints hints, bool async) =>
        async
            ? new GetAddrInfo(sources).ResolveAsync(node, "80", hints).AsTask().GetAwaiter().GetResult()
            : new GetAddrInfo(sources).Resolve(node, "80", hints);

    private static readonly AddrInfoHints StreamV4 = new(AddrInfoFlags.CanonName, AddrFamily.Inet, SockType.Stream);
    private static readonly AddrInfoHints Stream = new(AddrInfoFlags.CanonName, AddrFamily.Unspec, SockType.Stream);

    private string[] AskedNames() => _server.Queries.Select(Asked).ToArray();

    [Test]
    public void Fewer_dots_than_ndots_walks_the_search_list_before_the_name_as_is([Values] bool async)
    {
        _zone[("db.corp.", RecordType.A)] = q => Answer(q, A("db.corp.", "192.0.2.30"));
        NameServiceSources sources = Sources("search a.test b.test\noptions ndots:2 timeout:1 attempts:1\n");
        AddrInfoResult r = Resolve(sources, "db.corp", StreamV4, async);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.Success));
        Assert.That(r.Entries.Single().EndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.0.2.30"), 80)));
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("db.corp"));
        Assert.That(AskedNames(), Is.EqualTo(new[] { "db.corp.a.test. A", "db.corp.b.test. A", "db.corp. A" }));
    }

    [Test]
    public void At_least_ndots_dots_asks_the_name_as_is_first_and_stops_there()
    {
        _zone[("www.example.org.", RecordType.A)] = q => Answer(q, A("www.example.org.", "192.0.2.31"));
        AddrInfoResult r = Resolve(Sources("search a.test\noptions timeout:1 attempts:1\n"), "www.example.org", StreamV4, async: false);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.Success));
        Assert.That(AskedNames(), Is.EqualTo(new[] { "www.example.org. A" }));
    }

    [Test]
    public void A_trailing_dot_asks_only_the_absolute_name()
    {
        AddrInfoResult r = Resolve(Sources("search a.test\noptions timeout:1 attempts:1\n"), "host.", StreamV4, async: false);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(AskedNames(), Is.EqualTo(new[] { "host. A" }));
    }

    [Test]
    public void Unspec_asks_a_and_aaaa_and_returns_both([Values] bool async)
    {
        _zone[("dual.test.", RecordType.A)] = q => Answer(q, A("dual.test.", "192.0.2.40"));
        _zone[("dual.test.", RecordType.AAAA)] = q => Answer(q, Aaaa("dual.test.", "2001:db8::40"));
        AddrInfoResult r = Resolve(Sources(), "dual.test", Stream, async);
        Assert.That(r.Entries.Select(e => e.EndPoint.Address.ToString()), Is.EquivalentTo(new[] { "192.0.2.40", "2001:db8::40" }));
        Assert.That(AskedNames(), Is.EquivalentTo(new[] { "dual.test. A", "dual.test. AAAA" }));
    }

    [Test]
    public void The_end_of_a_cname_chain_is_the_canonical_name([Values] bool async)
    {
        _zone[("www.test.", RecordType.A)] = q => Answer(q,
            Cname("www.test.", "edge.cdn.test."), Cname("edge.cdn.test.", "node7.cdn.test."), A("node7.cdn.test.", "192.0.2.50"),
            A("unrelated.test.", "192.0.2.99"));
        AddrInfoResult r = Resolve(Sources(), "www.test", StreamV4, async);
        Assert.That(r.Entries.Select(e => e.EndPoint.Address.ToString()), Is.EqualTo(new[] { "192.0.2.50" }), "records of other owners are ignored");
        Assert.That(r.Entries[0].CanonicalName, Is.EqualTo("node7.cdn.test"));
    }

    [Test]
    public void Gethostbyname_reports_the_cname_owners_as_aliases()
    {
        _zone[("www.test.", RecordType.A)] = q => Answer(q, A("node7.cdn.test.", "192.0.2.50"),
            Cname("edge.cdn.test.", "node7.cdn.test."), Cname("www.test.", "edge.cdn.test."));
        HostEntryResult r = new GetHostByName(Sources()).ByName("www.test", AddrFamily.Inet);
        Assert.That(r.Error, Is.EqualTo(HostErrno.Success));
        Assert.That(r.Entry!.Name, Is.EqualTo("node7.cdn.test"), "the chain is followed whatever the record order");
        Assert.That(r.Entry.Aliases, Is.EqualTo(new[] { "www.test", "edge.cdn.test" }));
    }

    [Test]
    public void Nxdomain_is_eai_noname([Values] bool async)
    {
        Assert.That(Resolve(Sources(), "nowhere.test", Stream, async).Error, Is.EqualTo(AddrInfoError.NoName));
        Assert.That(AddrInfoErrorText.GaiStrError(AddrInfoError.NoName), Is.EqualTo("Name or service not known"));
    }

    [Test]
    public void A_name_without_addresses_is_eai_nodata([Values] bool async)
    {
        _zone[("mailonly.test.", RecordType.ANY)] = q => Answer(q);
        Assert.That(Resolve(Sources(), "mailonly.test", Stream, async).Error, Is.EqualTo(AddrInfoError.NoData));
    }

    [Test]
    public void A_cname_to_a_name_without_the_type_is_eai_nodata()
    {
        _zone[("alias.test.", RecordType.A)] = q => Answer(q, Cname("alias.test.", "v6only.test."));
        Assert.That(Resolve(Sources(), "alias.test", StreamV4, async: false).Error, Is.EqualTo(AddrInfoError.NoData));
    }

    [Test]
    public void Servfail_is_eai_again([Values] bool async)
    {
        _zone[("broken.test.", RecordType.A)] = q => Rcode(q, DnsResponseCode.ServFail);
        _zone[("broken.test.", RecordType.AAAA)] = q => Rcode(q, DnsResponseCode.ServFail);
        Assert.That(Resolve(Sources(), "broken.test", Stream, async).Error, Is.EqualTo(AddrInfoError.Again));
    }

    [Test]
    public void Servfail_on_a_search_candidate_keeps_searching()
    {
        _zone[("app.a.test.", RecordType.A)] = q => Rcode(q, DnsResponseCode.ServFail);
        _zone[("app.b.test.", RecordType.A)] = q => Answer(q, A("app.b.test.", "192.0.2.60"));
        AddrInfoResult r = Resolve(Sources("search a.test b.test\noptions timeout:1 attempts:1\n"), "app", StreamV4, async: false);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.Success));
        Assert.That(AskedNames(), Is.EqualTo(new[] { "app.a.test. A", "app.b.test. A" }));
    }

    [Test]
    public void A_silent_server_is_eai_again_and_skips_the_other_search_domains()
    {
        _server.Handler = _ => [];
        AddrInfoResult r = Resolve(Sources("search a.test b.test\noptions timeout:1 attempts:1\n"), "app", StreamV4, async: false);
        Assert.That(r.Error, Is.EqualTo(AddrInfoError.Again));
        // __res_context_search: a timeout ends the domain loop, the name as is is still tried.
        Assert.That(AskedNames(), Is.EqualTo(new[] { "app.a.test. A", "app. A" }));
    }

    [Test]
    public void The_hosts_file_answers_before_dns()
    {
        AddrInfoResult r = Resolve(Sources(), "localhost", StreamV4, async: false);
        Assert.That(r.Entries.Single().EndPoint.Address, Is.EqualTo(IPAddress.Loopback));
        Assert.That(_server.Queries, Is.Empty);
    }

    [Test]
    public void Getnameinfo_asks_the_ptr_of_the_in_addr_arpa_name([Values] bool async)
    {
        _zone[("5.2.0.192.in-addr.arpa.", RecordType.PTR)] = q => Answer(q, Ptr("5.2.0.192.in-addr.arpa.", "host5.example.test."));
        var gni = new GetNameInfo(Sources());
        var endPoint = new IPEndPoint(IPAddress.Parse("192.0.2.5"), 80);
        NameInfoResult r = async ? gni.ResolveAsync(endPoint).AsTask().GetAwaiter().GetResult() : gni.Resolve(endPoint);
        Assert.That((r.Error, r.Host, r.Service), Is.EqualTo((AddrInfoError.Success, "host5.example.test", "http")));
        Assert.That(AskedNames(), Is.EqualTo(new[] { "5.2.0.192.in-addr.arpa. PTR" }));
    }

    [Test]
    public void Getnameinfo_of_an_ipv6_address_asks_ip6_arpa_and_follows_an_rfc2317_style_cname()
    {
        string owner = ReverseName.For(IPAddress.Parse("2001:db8::7")).ToLowerInvariant();
        _zone[(owner, RecordType.PTR)] = q => Answer(q, Cname(owner, "7.sub.rev.test."), Ptr("7.sub.rev.test.", "seven.test."));
        NameInfoResult r = new GetNameInfo(Sources()).Resolve(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 53), NameInfoFlags.Dgram);
        Assert.That((r.Error, r.Host, r.Service), Is.EqualTo((AddrInfoError.Success, "seven.test", "domain")));
    }

    [Test]
    public void Getnameinfo_with_namereqd_and_no_ptr_is_eai_noname_and_without_it_numeric()
    {
        var gni = new GetNameInfo(Sources());
        var endPoint = new IPEndPoint(IPAddress.Parse("192.0.2.77"), 8080);
        Assert.That(gni.Resolve(endPoint, NameInfoFlags.NameReqd).Error, Is.EqualTo(AddrInfoError.NoName));
        NameInfoResult numeric = gni.Resolve(endPoint);
        Assert.That((numeric.Host, numeric.Service), Is.EqualTo(("192.0.2.77", "8080")));
    }

    [Test]
    public void Sources_from_the_system_files_with_a_loopback_nameserver_resolve_through_it()
    {
        _zone[("sys.test.", RecordType.A)] = q => Answer(q, A("sys.test.", "192.0.2.80"));
        NameServiceSources sources = NameServiceSources.FromSystemWithDns(nameservers: [_server.EndPoint]);
        Assert.That(sources.ResolvConf.Nameservers, Is.EqualTo(new[] { _server.EndPoint }));
        HostEntryResult r = new GetHostByName(sources).ByName("sys.test.", AddrFamily.Inet);
        Assert.That(r.Entry?.Addresses.Single().ToString(), Is.EqualTo("192.0.2.80"));
    }
}
