using System.Net;
using BenchmarkDotNet.Attributes;
using Resolver.Core.Cache;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Benchmarks;

/// <summary>
/// Loading a restart snapshot (Resolver:Cache:SnapshotFile) of 100,000 entries into an empty cache, as the host does
/// before its listeners open: read the file, check every entry as <see cref="ResponseCache.Import(PortableCacheEntry)"/>
/// does, insert. Also the save at a clean stop. Each operation is one whole file, so a run is a few iterations long.
/// </summary>
[MemoryDiagnoser]
public class SnapshotLoadBenchmarks
{
    private const int EntryCount = 100_000;

    private string _file = null!;
    private ResponseCache _source = null!;
    private ResponseCache _target = null!;

    [GlobalSetup]
    public void Setup()
    {
        _source = new ResponseCache(new CacheOptions { Prefetch = false, MaxEntries = EntryCount * 2 });
        for (int i = 0; i < EntryCount; i++)
        {
            var name = DnsName.Parse($"host{i}.bench{i % 100}.example.");
            var message = new DnsMessage { IsResponse = true, RecursionDesired = true, RecursionAvailable = true };
            message.Questions.Add(new DnsQuestion(name, RecordType.A, RecordClass.IN));
            message.Answers.Add(new DnsRecord(name, RecordType.A, RecordClass.IN, 3600, new ARecordData(new IPAddress([192, 0, 2, (byte)i]))));
            _source.Store(CacheKey.Create(name.Wire, RecordType.A, RecordClass.IN, false, false), message, 3600);
        }
        _file = Path.Combine(Path.GetTempPath(), $"resolver-bench-snapshot-{Environment.ProcessId}.bin");
        int written = CacheSnapshotFile.Save(_source, _file);
        if (written != EntryCount)
            throw new InvalidOperationException($"snapshot holds {written} entries, expected {EntryCount}");
    }

    [IterationSetup(Target = nameof(Load_100k))]
    public void EmptyCache() => _target = new ResponseCache(new CacheOptions { Prefetch = false, MaxEntries = EntryCount * 2 });

    [IterationCleanup(Target = nameof(Load_100k))]
    public void DropCache() => _target.Dispose();

    /// <summary>What a start costs: the file read, every entry checked and inserted.</summary>
    [Benchmark]
    public int Load_100k()
    {
        var result = CacheSnapshotFile.Load(_target, _file);
        if (result.Imported != EntryCount)
            throw new InvalidOperationException($"loaded {result}, expected {EntryCount} imported");
        return result.Imported;
    }

    /// <summary>What a clean stop costs: export, write to FILE.tmp-PID, flush, rename.</summary>
    [Benchmark]
    public int Save_100k() => CacheSnapshotFile.Save(_source, _file);

    [GlobalCleanup]
    public void Cleanup()
    {
        _source.Dispose();
        File.Delete(_file);
    }
}
