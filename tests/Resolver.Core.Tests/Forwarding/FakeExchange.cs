using System.Collections.Concurrent;
using System.Net;
using Resolver.Client;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>What a scripted upstream does with one query.</summary>
public sealed record FakeReply(TimeSpan Delay, UpstreamFailureKind? Failure, Func<UpstreamQuery, DnsMessage>? Build)
{
    public static FakeReply Address(string address = "192.0.2.1", uint ttl = 300, TimeSpan delay = default) =>
        new(delay, null, q => Answer(q, new DnsRecord(q.Name, RecordType.A, RecordClass.IN, ttl, new ARecordData(IPAddress.Parse(address)))));

    public static FakeReply Records(Func<UpstreamQuery, DnsMessage> build, TimeSpan delay = default) => new(delay, null, build);

    public static FakeReply Code(DnsResponseCode code, TimeSpan delay = default) =>
        new(delay, null, q => Answer(q, code));

    /// <summary>Never answers: the exchange times out after its UDP receive timeout, like the real client.</summary>
    public static FakeReply Silence() => new(Timeout.InfiniteTimeSpan, null, null);

    public static FakeReply Fail(UpstreamFailureKind kind) => new(TimeSpan.Zero, kind, null);

    public static DnsMessage Answer(UpstreamQuery query, params DnsRecord[] answers) => Answer(query, DnsResponseCode.NoError, answers);

    public static DnsMessage Answer(UpstreamQuery query, DnsResponseCode code, params DnsRecord[] answers)
    {
        var message = new DnsMessage { IsResponse = true, RecursionDesired = true, RecursionAvailable = true, ResponseCode = code };
        message.Questions.Add(new DnsQuestion(query.Name, query.Type, query.Class));
        message.Answers.AddRange(answers);
        return message;
    }
}

/// <summary>
/// An in-memory <see cref="IDnsExchange"/>: a script decides per upstream and per call what
/// happens (answer, RCODE, delay, silence, failure). Counts calls; honours cancellation and the
/// UDP receive timeout as the real client does.
/// </summary>
internal sealed class FakeExchange(Func<IPEndPoint, UpstreamQuery, int, FakeReply> script) : IDnsExchange
{
    private readonly ConcurrentDictionary<IPEndPoint, int> _callsTo = new();
    private int _calls;

    public FakeExchange(FakeReply always) : this((_, _, _) => always) { }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The clock the scripted delays and timeouts wait on: a test's FakeTimeProvider makes them steps it takes.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public ConcurrentQueue<(IPEndPoint Server, UpstreamQuery Query)> Log { get; } = new();

    public int CallsTo(IPEndPoint server) => _callsTo.TryGetValue(server, out int count) ? count : 0;

    public async ValueTask<ExchangeResult> ExchangeAsync(IPEndPoint server, UpstreamQuery query, ExchangeOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        int index = _callsTo.AddOrUpdate(server, 1, (_, n) => n + 1) - 1;
        Log.Enqueue((server, query));
        var reply = script(server, query, index);
        if (reply.Delay == Timeout.InfiniteTimeSpan || reply.Delay >= options.UdpReceiveTimeout && reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(options.UdpReceiveTimeout, Time, cancellationToken);
            throw new UpstreamException(UpstreamFailureKind.Timeout, "no answer (scripted)");
        }
        if (reply.Delay > TimeSpan.Zero)
            await Task.Delay(reply.Delay, Time, cancellationToken);
        else
            await Task.Yield();
        if (reply.Failure is UpstreamFailureKind kind)
            throw new UpstreamException(kind, "scripted failure");
        var bytes = reply.Build!(query).ToArray();
        return new ExchangeResult(DnsMessage.Parse(bytes), bytes.Length, false, reply.Delay);
    }
}
