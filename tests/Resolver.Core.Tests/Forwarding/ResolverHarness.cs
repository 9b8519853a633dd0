using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>The real pipeline with the cache and forwarder stages in front of a <see cref="FakeExchange"/>.</summary>
internal sealed class ResolverHarness : IDisposable
{
    public static readonly IPEndPoint Upstream1 = new(IPAddress.Loopback, 5301);
    public static readonly IPEndPoint Upstream2 = new(IPAddress.Loopback, 5302);
    public static readonly IPEndPoint Upstream3 = new(IPAddress.Loopback, 5303);

    private static readonly QueryContext Udp = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
    private static readonly QueryContext Tcp = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Tcp);

    public ResolverHarness(FakeExchange upstream, TimeProvider? time = null, Action<ForwarderOptions>? forwarder = null,
        Action<CacheOptions>? cache = null, Random? random = null, Resolver.Core.Dnssec.IAnswerValidator? validator = null)
    {
        Upstream = upstream;
        ForwarderOptions = new ForwarderOptions { Upstreams = ["127.0.0.1:5301"], ExplorationRate = 0 };
        forwarder?.Invoke(ForwarderOptions);
        CacheOptions = new CacheOptions();
        cache?.Invoke(CacheOptions);
        Cache = new ResponseCache(CacheOptions, time);
        Forwarder = new ForwarderStage(ForwarderOptions, upstream, Cache, time, random: random ?? new Random(7), validator: validator);
        CacheStage = new CacheStage(Cache, Forwarder);
        Pipeline = new QueryPipeline([CacheStage, Forwarder], new PipelineOptions(), NullLogger<QueryPipeline>.Instance);
    }

    public FakeExchange Upstream { get; }
    public ForwarderOptions ForwarderOptions { get; }
    public CacheOptions CacheOptions { get; }
    public ResponseCache Cache { get; }
    public ForwarderStage Forwarder { get; }
    public CacheStage CacheStage { get; }
    public QueryPipeline Pipeline { get; }

    public static byte[] Query(string name, RecordType type = RecordType.A, ushort id = 0x1234, EdnsRecord? edns = null, bool checkingDisabled = false)
    {
        var query = DnsMessage.CreateQuery(id, DnsName.Parse(name), type, edns: edns);
        query.CheckingDisabled = checkingDisabled;
        return query.ToArray();
    }

    public async Task<DnsMessage> AskAsync(byte[] query, bool overTcp = false)
    {
        var response = new byte[65535];
        int length = await Pipeline.HandleAsync(query, response, overTcp ? Tcp : Udp, CancellationToken.None);
        Assert.That(length, Is.GreaterThan(0), "expected an answer, got silence");
        return DnsMessage.Parse(response.AsSpan(0, length));
    }

    public Task<DnsMessage> AskAsync(string name, RecordType type = RecordType.A, ushort id = 0x1234, EdnsRecord? edns = null) =>
        AskAsync(Query(name, type, id, edns));

    public static ExtendedErrorOption? ExtendedError(DnsMessage response) => response.Edns?.Find<ExtendedErrorOption>();

    public void Dispose()
    {
        Forwarder.Dispose();
        Cache.Dispose();
    }
}
