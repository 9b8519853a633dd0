using BenchmarkDotNet.Attributes;
using Resolver.Protocol;

namespace Resolver.Benchmarks;

/// <summary>
/// The server's first step for every datagram: header, question and EDNS read into a
/// caller-owned 255-octet name buffer. Target: 0 bytes allocated, under 100 ns.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class QueryReadBenchmarks
{
    private readonly byte[] _query = SamplePackets.TypicalQuery();
    private readonly byte[] _nameBuffer = new byte[255];

    [Benchmark]
    public int ReadQuery_PreallocatedNameBuffer()
    {
        var info = QueryReader.Read(_query, _nameBuffer);
        return info.NameLength + (int)info.Type;
    }

    [Benchmark]
    public int ReadQuery_StackallocNameBuffer()
    {
        Span<byte> name = stackalloc byte[255];
        var info = QueryReader.Read(_query, name);
        return info.NameLength + (int)info.Type;
    }
}
