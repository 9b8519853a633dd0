using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Core.SharedCache;
using Resolver.Core.Tests.Forwarding;

namespace Resolver.Core.Tests.SharedCache;

/// <summary>
/// One resolver instance with the shared cache: cache, shared-cache stage and forwarder in a pipeline, the writer
/// hooked to the cache, over a store that several harnesses may share (a fleet of instances and one Redis).
/// </summary>
internal sealed class SharedCacheHarness : IDisposable
{
    private readonly ResolverHarness _resolver;
    private readonly MeterListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writing;

    public SharedCacheHarness(ISharedCacheStore store, TimeProvider? time = null, FakeExchange? upstream = null,
        Action<SharedCacheOptions>? options = null)
    {
        Options = new SharedCacheOptions { Enabled = true, Redis = "fake", ReadBudget = TimeSpan.FromMilliseconds(50), CircuitCoolDown = TimeSpan.FromSeconds(5) };
        options?.Invoke(Options);
        Time = time ?? TimeProvider.System;
        _resolver = new ResolverHarness(upstream ?? new FakeExchange(FakeReply.Address(ttl: 300)), Time, cache: c => c.Prefetch = false);
        Metrics = new SharedCacheMetrics();
        Circuit = new SharedCacheCircuit(Options, Time);
        Stage = new SharedCacheStage(Cache, store, Options, Circuit, Metrics, Time);
        Writer = new SharedCacheWriter(store, Options, Metrics, Time);
        Cache.StoreObserver = Writer;
        Pipeline = new QueryPipeline([_resolver.CacheStage, Stage, _resolver.Forwarder], new PipelineOptions(), NullLogger<QueryPipeline>.Instance);
        Listen();
        _writing = Task.Run(() => Writer.RunAsync(_stopping.Token));
    }

    public SharedCacheOptions Options { get; }
    public TimeProvider Time { get; }
    public SharedCacheMetrics Metrics { get; }
    public SharedCacheCircuit Circuit { get; }
    public SharedCacheStage Stage { get; }
    public SharedCacheWriter Writer { get; }
    public QueryPipeline Pipeline { get; }
    public ResponseCache Cache => _resolver.Cache;
    public FakeExchange Upstream => _resolver.Upstream;

    /// <summary>Measurements by instrument name, and by "name/reason" for tagged ones.</summary>
    public Dictionary<string, long> Counts { get; } = [];

    public long Count(string name)
    {
        lock (Counts)
            return Counts.GetValueOrDefault(name);
    }

    public async Task<Resolver.Protocol.DnsMessage> AskAsync(byte[] query)
    {
        var response = new byte[65535];
        int length = await Pipeline.HandleAsync(query, response, new QueryContext(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000), ClientTransport.Udp), CancellationToken.None);
        Assert.That(length, Is.GreaterThan(0), "expected an answer, got silence");
        return Resolver.Protocol.DnsMessage.Parse(response.AsSpan(0, length));
    }

    public Task<Resolver.Protocol.DnsMessage> AskAsync(string name, Resolver.Protocol.RecordType type = Resolver.Protocol.RecordType.A) =>
        AskAsync(ResolverHarness.Query(name, type));

    /// <summary>Waits (at most 5 s) until the write-behind loop has sent <paramref name="sets"/> writes to <paramref name="store"/>.</summary>
    public static async Task WaitForWritesAsync(FakeSharedCacheStore store, int sets)
    {
        for (int i = 0; i < 500 && store.Sets < sets; i++)
            await Task.Delay(10);
        Assert.That(store.Sets, Is.GreaterThanOrEqualTo(sets), "the write-behind loop wrote the answer to the store");
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _writing.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
        _listener.Dispose();
        Metrics.Dispose();
        _resolver.Dispose();
    }

    private void Listen()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Metrics.Meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (Counts)
            {
                Counts[instrument.Name] = Counts.GetValueOrDefault(instrument.Name) + value;
                foreach (var tag in tags)
                {
                    string tagged = instrument.Name + "/" + tag.Value;
                    Counts[tagged] = Counts.GetValueOrDefault(tagged) + value;
                }
            }
        });
        _listener.Start();
    }
}
