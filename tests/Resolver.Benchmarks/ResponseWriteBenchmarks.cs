using BenchmarkDotNet.Attributes;
using Resolver.Protocol;

namespace Resolver.Benchmarks;

/// <summary>Writing a 10-record response with name compression into a pre-allocated buffer.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ResponseWriteBenchmarks
{
    private readonly DnsMessage _tenAddresses = SamplePackets.TenAddressResponse();
    private readonly DnsMessage _mixed = SamplePackets.MixedResponse();
    private readonly byte[] _buffer = new byte[EdnsBufferSize];

    private const int EdnsBufferSize = 1232;

    [Benchmark]
    public int Write_TenARecords()
    {
        _tenAddresses.TryWrite(_buffer, out int written);
        return written;
    }

    [Benchmark]
    public int Write_TenMixedRecords()
    {
        _mixed.TryWrite(_buffer, out int written);
        return written;
    }
}
