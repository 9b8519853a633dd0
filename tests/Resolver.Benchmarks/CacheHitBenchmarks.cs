using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Cache;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Benchmarks;

/// <summary>
/// The cache-hit path (issue 6): find the entry, copy its wire bytes, write the client's ID,
/// question case and lowered TTLs, append OPT. One query per operation against a cache of
/// 10,001 entries. Target: 0 bytes allocated per query in steady state.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class CacheHitBenchmarks
{
    private const int EntryCount = 10_000;
    private const uint Ttl = 3600;
    private const ushort QueryId = 0x5A17;

    // h04242.bench.test. in mixed case: the hit must echo the client's case (RFC 4343 §4.1, 0x20 bit).
    private const string AQueryName = "H04242.bEnCh.TeSt.";
    private const string ChainQueryName = "WwW.cHaIn.BeNcH.tEsT.";

    private static readonly QueryContext Client = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);

    // The EDNS size we advertise, and the largest UDP answer we send.
    private readonly byte[] _response = new byte[1232];

    // IQueryHandler's contract: the transport hands the pipeline a 65535-byte buffer.
    private readonly byte[] _pipelineResponse = new byte[ushort.MaxValue];

    private ResponseCache _cache = null!;
    private QueryPipeline _pipeline = null!;
    private byte[] _aQuery = null!;
    private byte[] _chainQuery = null!;
    private QueryRequest _aRequest;
    private QueryRequest _chainRequest;

    [GlobalSetup]
    public void Setup()
    {
        // Prefetch off: every operation is a pure hit, never a hand-over to a refresher.
        _cache = new ResponseCache(new CacheOptions { Prefetch = false });
        for (int i = 0; i < EntryCount; i++)
        {
            var name = DnsName.Parse("h" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".bench.test.");
            Store(AddressAnswer(name));
        }
        Store(ChainAnswer());
        if (_cache.Count != EntryCount + 1)
            throw new InvalidOperationException($"cache holds {_cache.Count} entries, expected {EntryCount + 1}");

        _pipeline = new QueryPipeline([new CacheStage(_cache)], new PipelineOptions(), NullLogger<QueryPipeline>.Instance);
        _aQuery = DigQuery(AQueryName);
        _chainQuery = DigQuery(ChainQueryName);
        _aRequest = Request(_aQuery);
        _chainRequest = Request(_chainQuery);

        CheckHit(_aQuery, _response, Hit_A_Record(), expectedAnswers: 1);
        CheckHit(_chainQuery, _response, Hit_Cname_Chain(), expectedAnswers: 5);
        CheckHit(_aQuery, _pipelineResponse, Pipeline_Hit(), expectedAnswers: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    /// <summary>Lookup + copy + ID/TTLs/question case + OPT for one A record.</summary>
    [Benchmark]
    public int Hit_A_Record() => _cache.TryAnswer(_aRequest, _response, out _);

    /// <summary>The same for a CNAME and its four addresses (five TTLs to lower).</summary>
    [Benchmark]
    public int Hit_Cname_Chain() => _cache.TryAnswer(_chainRequest, _response, out _);

    /// <summary>The A query as the transport hands it over: header/question/EDNS read, admission checks, cache stage.</summary>
    [Benchmark]
    public int Pipeline_Hit()
    {
        var pending = _pipeline.HandleAsync(_aQuery, _pipelineResponse, Client, CancellationToken.None);
        return pending.Result;
    }

    private void Store(DnsMessage answer)
    {
        var question = answer.Question!;
        _cache.Store(CacheKey.Create(question.Name.Wire, question.Type, question.Class, dnssecOk: false, checkingDisabled: false), answer, Ttl);
    }

    private static DnsMessage AddressAnswer(DnsName name)
    {
        var message = Answer(name);
        message.Answers.Add(new DnsRecord(name, RecordType.A, RecordClass.IN, Ttl, new ARecordData(new IPAddress([192, 0, 2, 42]))));
        return message;
    }

    // www.chain.bench.test. CNAME edge.cdn.example.net. with two A and two AAAA records.
    private static DnsMessage ChainAnswer()
    {
        var name = DnsName.Parse("www.chain.bench.test.");
        var target = DnsName.Parse("edge.cdn.example.net.");
        var message = Answer(name);
        message.Answers.Add(new DnsRecord(name, RecordType.CNAME, RecordClass.IN, Ttl, new NameRecordData(RecordType.CNAME, target)));
        message.Answers.Add(new DnsRecord(target, RecordType.A, RecordClass.IN, Ttl, new ARecordData(IPAddress.Parse("198.51.100.1"))));
        message.Answers.Add(new DnsRecord(target, RecordType.A, RecordClass.IN, Ttl, new ARecordData(IPAddress.Parse("198.51.100.2"))));
        message.Answers.Add(new DnsRecord(target, RecordType.AAAA, RecordClass.IN, Ttl, new AaaaRecordData(IPAddress.Parse("2001:db8::1"))));
        message.Answers.Add(new DnsRecord(target, RecordType.AAAA, RecordClass.IN, Ttl, new AaaaRecordData(IPAddress.Parse("2001:db8::2"))));
        return message;
    }

    private static DnsMessage Answer(DnsName name)
    {
        var message = new DnsMessage { IsResponse = true, RecursionAvailable = true };
        message.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.IN));
        return message;
    }

    // Like dig's default: RD, EDNS 1232 with a client cookie (RFC 7873).
    private static byte[] DigQuery(string name)
    {
        var edns = new EdnsRecord { UdpPayloadSize = 1232 };
        edns.Options.Add(new CookieOption([1, 2, 3, 4, 5, 6, 7, 8], []));
        return DnsMessage.CreateQuery(QueryId, DnsName.Parse(name), RecordType.A, edns: edns).ToArray();
    }

    // What QueryPipeline builds after admission; a struct over the query bytes.
    private static QueryRequest Request(byte[] query)
    {
        Span<byte> name = stackalloc byte[255];
        var info = QueryReader.Read(query, name);
        return new QueryRequest(query, info, Client, EdnsRecord.DefaultUdpPayloadSize);
    }

    // Proves each benchmark measures a real hit: the client's ID, its question bytes (case
    // included), the cached answers with TTLs still running, and our OPT.
    private static void CheckHit(byte[] query, byte[] response, int length, int expectedAnswers)
    {
        if (length <= 0)
            throw new InvalidOperationException($"no cache hit: the call returned {length}");
        var answer = MessageParser.Parse(response.AsSpan(0, length));
        var question = DnsMessage.Parse(query).Question!;
        int questionLength = question.Name.WireLength;
        if (answer.Id != QueryId || !answer.IsResponse || answer.Truncated || answer.ResponseCode != DnsResponseCode.NoError)
            throw new InvalidOperationException($"wrong header: id {answer.Id:X4}, QR {answer.IsResponse}, TC {answer.Truncated}, rcode {answer.ResponseCode}");
        if (!response.AsSpan(DnsHeader.Size, questionLength).SequenceEqual(query.AsSpan(DnsHeader.Size, questionLength)))
            throw new InvalidOperationException($"question case not echoed: asked {question.Name}, answered {answer.Question?.Name}");
        if (answer.Answers.Count != expectedAnswers)
            throw new InvalidOperationException($"{answer.Answers.Count} answers, expected {expectedAnswers}");
        foreach (var record in answer.Answers)
        {
            if (record.Ttl == 0 || record.Ttl > Ttl)
                throw new InvalidOperationException($"TTL {record.Ttl} of {record} not lowered from {Ttl}");
        }
        if (answer.Edns is not { UdpPayloadSize: 1232 })
            throw new InvalidOperationException("OPT with UDP size 1232 missing from the answer");
    }
}
