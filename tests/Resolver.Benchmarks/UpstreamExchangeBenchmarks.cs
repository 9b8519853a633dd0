using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using DnsClient;
using Resolver.Client;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Benchmarks;

/// <summary>
/// One upstream exchange, ours against DnsClient 1.8 in the same run: build the query, send it
/// over UDP, receive, validate and parse the answer of a real authoritative server (knotd,
/// started out of process by scripts/bench-client.sh, port in RESOLVER_BENCH_UPSTREAM_PORT).
/// Both sides ask www.capture.test. A (two A records back, with OPT) and count the A records of
/// the answer section. Ours makes an A record's IPAddress only when it is read (the forwarder
/// keeps wire bytes and never needs it), so <see cref="Ours_Exchange_ReadingAddresses"/> shows
/// the cost when a caller does read both addresses.
/// Targets: allocate at most a tenth of DnsClient, complete more round trips per second.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[Config(typeof(WithOperationsPerSecond))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UpstreamExchangeBenchmarks
{
    public const string PortVariable = "RESOLVER_BENCH_UPSTREAM_PORT";
    private const string QueryName = "www.capture.test";

    private IPEndPoint _server = null!;
    private LookupClient _dnsClient = null!;
    private DnsExchange _exchange = null!;
    private UpstreamQuery _query = null!;
    private readonly ExchangeOptions _options = ExchangeOptions.Default;

    [GlobalSetup]
    public void Setup()
    {
        string port = Environment.GetEnvironmentVariable(PortVariable)
            ?? throw new InvalidOperationException($"{PortVariable} is not set: run scripts/bench-client.sh");
        _server = new IPEndPoint(IPAddress.Loopback, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        _dnsClient = new LookupClient(new LookupClientOptions(_server)
        {
            UseCache = false,
            Retries = 0,
            Timeout = TimeSpan.FromSeconds(1),
        });
        _exchange = new DnsExchange();
        _query = new UpstreamQuery(DnsName.Parse(QueryName + "."), RecordType.A);
        // Both must see the two addresses, or the comparison is not like for like.
        if (DnsClient_Query() != 2 || Ours_Exchange() != 2 || Ours_Exchange_ReadingAddresses() != 2)
            throw new InvalidOperationException("the server did not answer with the two A records of www.capture.test.");
    }

    [GlobalCleanup]
    public void Cleanup() => _exchange.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Sync")]
    public int DnsClient_Query() => CountAddresses(_dnsClient.Query(QueryName, QueryType.A));

    [Benchmark, BenchmarkCategory("Sync")]
    public int Ours_Exchange() => CountAddresses(_exchange.Exchange(_server, _query, _options).Response);

    [Benchmark, BenchmarkCategory("Sync")]
    public int Ours_Exchange_ReadingAddresses() => ReadAddresses(_exchange.Exchange(_server, _query, _options).Response);

    [Benchmark(Baseline = true), BenchmarkCategory("Async")]
    public async Task<int> DnsClient_QueryAsync() =>
        CountAddresses(await _dnsClient.QueryAsync(QueryName, QueryType.A));

    [Benchmark, BenchmarkCategory("Async")]
    public async Task<int> Ours_ExchangeAsync() =>
        CountAddresses((await _exchange.ExchangeAsync(_server, _query, _options, CancellationToken.None)).Response);

    private static int CountAddresses(IDnsQueryResponse response)
    {
        int count = 0;
        foreach (var record in response.Answers)
        {
            if (record is DnsClient.Protocol.ARecord)
                count++;
        }
        return count;
    }

    private static int CountAddresses(DnsMessage response)
    {
        int count = 0;
        var answers = response.Answers;
        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i].Data is ARecordData)
                count++;
        }
        return count;
    }

    private static int ReadAddresses(DnsMessage response)
    {
        int count = 0;
        var answers = response.Answers;
        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i].Data is ARecordData a && a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                count++;
        }
        return count;
    }

    private sealed class WithOperationsPerSecond : ManualConfig
    {
        public WithOperationsPerSecond() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
