using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Core.Zones;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Server.QueryLog;

/// <summary>
/// The query log: one JSON object per line for each sampled query (time, client, transport, question, rcode, where
/// the answer came from: zone, cache, upstream with its name, stale, or the server itself, latency, EDE codes).
/// The query's thread only copies the answer into an entry and offers it to a bounded channel; a full channel drops
/// the entry and counts it. One writer task parses the copies and writes the lines, flushing whenever it has
/// caught up, so a slow disk costs log lines, never answers.
/// </summary>
internal sealed partial class QueryLogWriter : IQueryObserver, IHostedService, IDisposable
{
    private readonly QueryLogOptions _options;
    private readonly ILogger<QueryLogWriter> _logger;
    private readonly Channel<Entry> _queue;
    private readonly Counter<long> _written;
    private readonly Counter<long> _dropped;
    private long _seen;
    private long _droppedTotal;
    private long _writtenTotal;
    private Task? _writing;

    public QueryLogWriter(QueryLogOptions options, ILogger<QueryLogWriter> logger, IMeterFactory? meters = null)
    {
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.QueueCapacity)
        {
            // TryWrite never waits; in this mode it says false when the queue is full, so the drop can be counted
            // (DropWrite would drop just the same but report success).
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var meter = meters?.Create("Resolver.Server") ?? new Meter("Resolver.Server");
        _written = meter.CreateCounter<long>("resolver.querylog.written", "{query}", "Queries written to the query log");
        _dropped = meter.CreateCounter<long>("resolver.querylog.dropped", "{query}", "Sampled queries left out of the query log because its writer fell behind");
    }

    /// <summary>Entries dropped so far because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    /// <summary>Lines written so far.</summary>
    public long Written => Interlocked.Read(ref _writtenTotal);

    public bool ShouldTrace() => _options.SampleOneIn <= 1 || Interlocked.Increment(ref _seen) % _options.SampleOneIn == 0;

    public void Answered(in QueryRequest request, ReadOnlySpan<byte> response, QueryTrace trace)
    {
        var entry = new Entry(DateTimeOffset.UtcNow, request.Context.Client, request.Context.Transport == ClientTransport.Tcp ? "tcp" : "udp",
            response.ToArray(), SourceOf(trace), trace.Upstream, Stopwatch.GetElapsedTime(trace.StartedTimestamp).TotalMilliseconds);
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _droppedTotal);
            _dropped.Add(1);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // On a pool thread from the start: opening the file may block (a FIFO, a hung network mount), and the
        // service must start regardless.
        _writing = Task.Run(() => WriteAsync(_options.Path!));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // What was answered before the stop is written; waiting for a writer stuck on its file stops with the host.
        _queue.Writer.TryComplete();
        if (_writing is not null)
            await Task.WhenAny(_writing, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private static string SourceOf(QueryTrace trace)
    {
        if (trace.Stale)
            return "stale";
        return trace.AnsweredBy switch
        {
            LocalZoneStage => "zone",
            CacheStage => "cache",
            ForwarderStage => "upstream",
            _ => "server",
        };
    }

    private async Task WriteAsync(string path)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
            await using var json = new Utf8JsonWriter(file, new JsonWriterOptions { SkipValidation = true });
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    Write(json, entry);
                    await json.FlushAsync().ConfigureAwait(false);
                    file.WriteByte((byte)'\n');
                    json.Reset();
                    Interlocked.Increment(ref _writtenTotal);
                    _written.Add(1);
                }
                await file.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogCannotWrite(path, error.Message);
        }
    }

    /// <summary>One line; the answer is parsed here, on the writer, not on the query's thread.</summary>
    private static void Write(Utf8JsonWriter json, in Entry entry)
    {
        json.WriteStartObject();
        json.WriteString("time", entry.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("client", entry.Client.ToString());
        json.WriteString("transport", entry.Transport);
        DnsMessage? answer = null;
        try
        {
            answer = DnsMessage.Parse(entry.Response);
        }
        catch (DnsFormatException)
        {
            // Our own answer always parses; if it did not, the line still says who asked and when.
        }
        if (answer?.Questions.Count > 0)
        {
            var question = answer.Questions[0];
            json.WriteString("name", question.Name.ToString());
            json.WriteString("type", question.Type.ToString());
        }
        json.WriteString("rcode", answer?.ResponseCode.ToString().ToUpperInvariant() ?? "?");
        json.WriteString("source", entry.Source);
        if (entry.Upstream is not null)
            json.WriteString("upstream", entry.Upstream);
        json.WriteNumber("latency_ms", Math.Round(entry.LatencyMs, 3));
        if (answer?.Edns is { } edns && edns.Options.OfType<ExtendedErrorOption>().ToList() is { Count: > 0 } errors)
        {
            json.WriteStartArray("ede");
            foreach (var error in errors)
                json.WriteNumberValue(error.InfoCode);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    [LoggerMessage(1, LogLevel.Warning, "Query log {Path} cannot be written ({Reason}); queries are answered as usual, without the log")]
    private partial void LogCannotWrite(string path, string reason);

    // The client's endpoint object is the receive loop's cached one, never changed once made: kept, not copied.
    private readonly record struct Entry(DateTimeOffset Time, System.Net.IPEndPoint Client, string Transport, byte[] Response, string Source, string? Upstream, double LatencyMs);
}
