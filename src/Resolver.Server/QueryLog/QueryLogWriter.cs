using System.Buffers;
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
using Resolver.Server.Transport;

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
        var entry = new Entry(DateTimeOffset.UtcNow, request.Context.Client, TransportName(request.Context.Transport),
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

    private static string TransportName(ClientTransport transport) => transport switch
    {
        ClientTransport.Tcp => "tcp",
        ClientTransport.Tls => "tls",
        ClientTransport.Https => "https",
        _ => "udp",
    };

    private static string SourceOf(QueryTrace trace)
    {
        if (trace.Stale)
            return "stale";
        return trace.AnsweredBy switch
        {
            LocalZoneStage => "zone",
            CacheStage => "cache",
            Core.SharedCache.SharedCacheStage => "shared",
            ForwarderStage => "upstream",
            _ => "server",
        };
    }

    private async Task WriteAsync(string path)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, useAsync: true);
            // Lines are built in memory and written in batches: a write per line cost the query path its p99 on a
            // shared core (the writer competes with the receive loop for it).
            var lines = new ArrayBufferWriter<byte>(64 * 1024);
            using var json = new Utf8JsonWriter(lines, new JsonWriterOptions { SkipValidation = true });
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    Write(json, entry);
                    json.Flush();
                    json.Reset();
                    lines.GetSpan(1)[0] = (byte)'\n';
                    lines.Advance(1);
                    Interlocked.Increment(ref _writtenTotal);
                    _written.Add(1);
                    if (lines.WrittenCount >= 60 * 1024)
                        await FlushAsync(file, lines).ConfigureAwait(false);
                }
                await FlushAsync(file, lines).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogCannotWrite(path, error.Message);
        }
    }

    private static async ValueTask FlushAsync(FileStream file, ArrayBufferWriter<byte> lines)
    {
        if (lines.WrittenCount == 0)
            return;
        await file.WriteAsync(lines.WrittenMemory).ConfigureAwait(false);
        await file.FlushAsync().ConfigureAwait(false);
        lines.ResetWrittenCount();
    }

    /// <summary>
    /// One line, read from the copy of the answer here, on the writer: the question (our answers write it first and
    /// uncompressed) and the RCODE from the bytes; the whole message is parsed only for an answer that may carry an
    /// EDE (an error, or stale data).
    /// </summary>
    private static void Write(Utf8JsonWriter json, in Entry entry)
    {
        json.WriteStartObject();
        json.WriteString("time", entry.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("client", entry.Client.ToString());
        json.WriteString("transport", entry.Transport);
        var bytes = entry.Response;
        int rcode = bytes.Length >= DnsHeader.Size ? bytes[3] & 0x0F : -1;
        if (TryReadQuestion(bytes, out var name, out var type))
        {
            json.WriteString("name", name.ToString());
            json.WriteString("type", type.ToString());
        }
        json.WriteString("rcode", rcode >= 0 ? TransportTags.ResponseCodes[rcode] : "?");
        json.WriteString("source", entry.Source);
        if (entry.Upstream is not null)
            json.WriteString("upstream", entry.Upstream);
        json.WriteNumber("latency_ms", Math.Round(entry.LatencyMs, 3));
        if ((rcode > 0 || entry.Source == "stale") && ExtendedErrors(bytes) is { Count: > 0 } errors)
        {
            json.WriteStartArray("ede");
            foreach (ushort code in errors)
                json.WriteNumberValue(code);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static bool TryReadQuestion(byte[] message, out DnsName name, out RecordType type)
    {
        name = null!;
        type = default;
        if (message.Length < DnsHeader.Size || (message[4] << 8 | message[5]) == 0)
            return false;
        int end = DnsHeader.Size;
        while (end < message.Length && message[end] != 0)
        {
            if ((message[end] & 0xC0) != 0)
                return false;
            end += message[end] + 1;
        }
        if (end + 3 > message.Length)
            return false;
        name = DnsName.FromWire(message.AsSpan(DnsHeader.Size, end + 1 - DnsHeader.Size));
        type = (RecordType)(message[end + 1] << 8 | message[end + 2]);
        return true;
    }

    private static List<ushort>? ExtendedErrors(byte[] message)
    {
        try
        {
            return DnsMessage.Parse(message).Edns?.Options.OfType<ExtendedErrorOption>().Select(error => error.InfoCode).ToList();
        }
        catch (DnsFormatException)
        {
            return null;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Query log {Path} cannot be written ({Reason}); queries are answered as usual, without the log")]
    private partial void LogCannotWrite(string path, string reason);

    // The client's endpoint object is the receive loop's cached one, never changed once made: kept, not copied.
    private readonly record struct Entry(DateTimeOffset Time, System.Net.IPEndPoint Client, string Transport, byte[] Response, string Source, string? Upstream, double LatencyMs);
}
