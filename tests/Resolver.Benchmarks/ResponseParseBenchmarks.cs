using BenchmarkDotNet.Attributes;
using Resolver.Protocol;

namespace Resolver.Benchmarks;

/// <summary>Full parse of a compressed 10-record response into objects. Target: under 1 µs.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ResponseParseBenchmarks
{
    private readonly byte[] _tenAddresses = SamplePackets.TenAddressResponse().ToArray();
    private readonly byte[] _mixed = SamplePackets.MixedResponse().ToArray();

    [Benchmark]
    public int Parse_TenARecords() => DnsMessage.Parse(_tenAddresses).Answers.Count;

    [Benchmark]
    public int Parse_TenMixedRecords() => DnsMessage.Parse(_mixed).Answers.Count;
}
