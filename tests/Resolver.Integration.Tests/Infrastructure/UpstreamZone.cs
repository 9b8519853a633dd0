using System.Collections.Concurrent;
using System.Net;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// A fake upstream resolver on loopback: the client tests' <see cref="FakeDnsServer"/> answering
/// from a small zone given as master-file text (RA=1, AA=0, question echoed as received, CNAMEs
/// inside the zone followed, NXDOMAIN/NODATA with the SOA), with faults per name
/// (<see cref="NameBehaviour"/>) and query counts per name and transport.
/// </summary>
public sealed class UpstreamZone : IDisposable
{
    /// <summary>The address the fault replies carry, never in any test zone.</summary>
    public static readonly IPAddress SpoofedAddress = IPAddress.Parse("203.0.113.66");

    private readonly ConcurrentDictionary<string, NameBehaviour> _behaviours = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Counter> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<DnsRecord> _records = [];
    private readonly Lock _recordsLock = new();
    // The records by name, rebuilt after a change: a 2,000-name burst must not scan and copy the whole zone for
    // every query, or the fake, not the resolver, is what runs out of time.
    private ILookup<DnsName, DnsRecord>? _byName;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _arrivals = new();

    private UpstreamZone(string zoneText, DnsName origin)
    {
        _records.AddRange(MasterFileReader.Read(zoneText, "upstream.zone", origin, defaultTtl: 300));
        Origin = origin;
        Server = FakeDnsServer.Start(Reply);
    }

    public FakeDnsServer Server { get; }

    public DnsName Origin { get; }

    /// <summary>"127.0.0.1:PORT", as --upstream takes it.</summary>
    public string Address => EndpointTextOf(Server.EndPoint);

    /// <summary>While set, no query gets any reply (a dead upstream); queries are still counted.</summary>
    public bool Silent { get; set; }

    /// <summary>Every query received, all names.</summary>
    public int TotalQueries => Server.Queries.Count;

    public static UpstreamZone Start(string? zoneText = null, string origin = "fwd.test.") =>
        new(zoneText ?? TestZones.Upstream, DnsName.Parse(origin));

    public UpstreamZone On(string name, NameBehaviour behaviour)
    {
        _behaviours[Key(name)] = behaviour;
        return this;
    }

    /// <summary>Adds records, e.g. <c>Add("ttl1 1 IN A 192.0.2.7")</c> (relative to the origin).</summary>
    public UpstreamZone Add(string recordText)
    {
        var records = MasterFileReader.Read(recordText, "added", Origin, defaultTtl: 300);
        lock (_recordsLock)
        {
            _records.AddRange(records);
            _byName = null;
        }
        return this;
    }

    /// <summary>Replaces every record of the name and type of <paramref name="recordText"/>.</summary>
    public UpstreamZone Replace(string recordText)
    {
        var records = MasterFileReader.Read(recordText, "replaced", Origin, defaultTtl: 300);
        lock (_recordsLock)
        {
            foreach (var record in records)
                _records.RemoveAll(r => r.Name == record.Name && r.Type == record.Type);
            _records.AddRange(records);
            _byName = null;
        }
        return this;
    }

    public int QueriesFor(string name) => Count(name).All;

    /// <summary>Every query as it arrived: milliseconds since start, transport, source port, ID, question (for failure messages).</summary>
    public string Arrivals => string.Join("; ", _arrivals);

    public int UdpQueriesFor(string name) => Count(name).Udp;

    public int TcpQueriesFor(string name) => Count(name).Tcp;

    public IReadOnlyList<FakeQuery> QueriesReceived(string name) =>
        Server.Queries.Where(q => q.Message.Questions.Count > 0 && q.Message.Questions[0].Name == DnsName.Parse(name)).ToList();

    /// <summary>The name's query count once the server's loops have caught up (waits at most 2 s for <paramref name="atLeast"/>).</summary>
    /// <remarks>Awaits rather than sleeps: a blocked thread-pool thread starves the in-process host and this fake alike.</remarks>
    public async Task<int> WaitForQueriesAsync(string name, int atLeast)
    {
        await Resolver.TestKit.Waiting.Eventually.TrueWithinAsync(() => QueriesFor(name) >= atLeast, TimeSpan.FromSeconds(2));
        return QueriesFor(name);
    }

    private Counter Count(string name) => _counts.GetOrAdd(Key(name), _ => new Counter());

    private IEnumerable<FakeReply> Reply(FakeQuery query)
    {
        if (query.Message.Questions.Count == 0)
            return [];
        var question = query.Message.Questions[0];
        var counter = Count(question.Name.ToString());
        int seen = counter.Add(query.OverTcp);
        _arrivals.Enqueue($"{_clock.ElapsedMilliseconds} ms {(query.OverTcp ? "TCP" : "UDP")} {query.Client.Port} id={query.Message.Id} {question}");
        if (Silent)
            return [];
        var behaviour = _behaviours.TryGetValue(Key(question.Name.ToString()), out var found) ? found : new NameBehaviour();
        if (seen <= behaviour.DropFirst)
            return [];
        var replies = new List<FakeReply>();
        if (behaviour.FormErrOnEdns && query.HasOpt)
            replies.Add(FakeAnswers.Rcode(query, DnsResponseCode.FormErr));
        else if (behaviour.Rcode is { } rcode)
            replies.Add(FakeAnswers.Rcode(query, rcode, withOpt: query.HasOpt));
        else
        {
            if (!query.OverTcp)
                AddFaults(query, behaviour, replies);
            if (behaviour.FaultsOnly)
                return replies;
            replies.Add((behaviour.TruncateOverUdp && !query.OverTcp) || behaviour.TruncateAlways
                ? FakeAnswers.Truncated(query)
                : new FakeReply(Answer(query.Message).ToArray()));
        }
        if (behaviour.Delay > TimeSpan.Zero)
            replies[0] = replies[0] with { DelayBefore = behaviour.Delay };
        return replies;
    }

    private static void AddFaults(FakeQuery query, NameBehaviour behaviour, List<FakeReply> replies)
    {
        if (behaviour.WrongIdFirst)
            replies.Add(FakeAnswers.WrongId(query));
        if (behaviour.FromOtherPortFirst)
            replies.Add(FakeAnswers.Answer(query, SpoofedAddress) with { FromOtherPort = true });
        if (behaviour.GarbageFirst)
            replies.Add(FakeAnswers.Garbage(23));
        if (behaviour.WrongQuestionFirst)
            replies.Add(FakeAnswers.ForQuestion(query, new Protocol.DnsQuestion(DnsName.Parse("elsewhere.fwd.test."), RecordType.A)));
    }

    /// <summary>The zone's answer: the RRset, a CNAME chain inside the zone, or NXDOMAIN/NODATA with the SOA.</summary>
    public DnsMessage Answer(DnsMessage query)
    {
        var question = query.Questions[0];
        var response = new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            RecursionDesired = query.RecursionDesired,
            RecursionAvailable = true,
            CheckingDisabled = query.CheckingDisabled,
            Edns = query.Edns is null ? null : new EdnsRecord { DnssecOk = query.Edns.DnssecOk },
        };
        response.Questions.Add(question);
        var byName = RecordsByName();
        var name = question.Name;
        // Bounded CNAME chase: a loop in a test zone ends after 8 links.
        for (int link = 0; link < 8; link++)
        {
            var atName = byName[name].ToList();
            var matching = atName.Where(r => r.Type == question.Type).ToList();
            if (matching.Count > 0)
            {
                response.Answers.AddRange(matching);
                return response;
            }
            var cname = atName.FirstOrDefault(r => r.Type == RecordType.CNAME);
            if (cname is not null && question.Type != RecordType.CNAME)
            {
                response.Answers.Add(cname);
                name = ((NameRecordData)cname.Data).Target;
                continue;
            }
            if (atName.Count == 0 && !byName.Any(names => names.Key.IsSubdomainOf(name)))
                response.ResponseCode = DnsResponseCode.NXDomain;
            break;
        }
        // The SOA as the zone holds it now (a test may have replaced it).
        response.Authorities.Add(byName[Origin].First(r => r.Type == RecordType.SOA));
        return response;
    }

    private ILookup<DnsName, DnsRecord> RecordsByName()
    {
        lock (_recordsLock)
            return _byName ??= _records.ToLookup(r => r.Name);
    }

    private static string Key(string name) => name.EndsWith('.') ? name : name + ".";

    private static string EndpointTextOf(IPEndPoint endpoint) => endpoint.ToString();

    public void Dispose() => Server.Dispose();

    private sealed class Counter
    {
        private int _udp;
        private int _tcp;

        public int Udp => Volatile.Read(ref _udp);

        public int Tcp => Volatile.Read(ref _tcp);

        public int All => Udp + Tcp;

        public int Add(bool overTcp)
        {
            if (overTcp)
                Interlocked.Increment(ref _tcp);
            else
                Interlocked.Increment(ref _udp);
            return All;
        }
    }
}
