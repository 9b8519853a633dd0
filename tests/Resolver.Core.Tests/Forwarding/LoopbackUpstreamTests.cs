using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Client;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Forwarding;

/// <summary>The forwarder with the real <see cref="DnsExchange"/> against a tiny UDP upstream on 127.0.0.1.</summary>
public class LoopbackUpstreamTests
{
    /// <summary>Answers every A query with 192.0.2.33 after echoing ID and question; counts queries.</summary>
    private sealed class LoopbackUpstream : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        public int Queries;

        public LoopbackUpstream()
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _loop = Task.Run(ServeAsync);
        }

        public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

        private async Task ServeAsync()
        {
            var buffer = new byte[4096];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                Interlocked.Increment(ref Queries);
                var query = DnsMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
                var answer = new DnsMessage { Id = query.Id, IsResponse = true, RecursionDesired = query.RecursionDesired, RecursionAvailable = true, Edns = query.Edns };
                answer.Questions.Add(query.Questions[0]);
                answer.Answers.Add(new DnsRecord(query.Questions[0].Name, RecordType.A, RecordClass.IN, 120, new ARecordData(IPAddress.Parse("192.0.2.33"))));
                await _socket.SendToAsync(answer.ToArray(), received.RemoteEndPoint);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
    }

    [Test]
    public async Task Query_is_forwarded_over_udp_then_answered_from_cache()
    {
        using var upstream = new LoopbackUpstream();
        using var exchange = new DnsExchange();
        using var cache = new ResponseCache(new CacheOptions());
        using var forwarder = new ForwarderStage(new ForwarderOptions { Upstreams = [$"127.0.0.1:{upstream.Endpoint.Port}"] }, exchange, cache);
        var pipeline = new QueryPipeline([new CacheStage(cache, forwarder), forwarder], new PipelineOptions(), NullLogger<QueryPipeline>.Instance);
        var context = new QueryContext(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);

        for (int i = 0; i < 3; i++)
        {
            var response = new byte[65535];
            var query = DnsMessage.CreateQuery((ushort)(7 + i), DnsName.Parse("Loop.Example."), RecordType.A).ToArray();
            int length = await pipeline.HandleAsync(query, response, context, CancellationToken.None);
            var answer = DnsMessage.Parse(response.AsSpan(0, length));
            Assert.That(answer.Id, Is.EqualTo(7 + i));
            Assert.That(((ARecordData)answer.Answers.Single().Data).Address, Is.EqualTo(IPAddress.Parse("192.0.2.33")));
            Assert.That(answer.Questions[0].Name.EqualsExactly(DnsName.Parse("Loop.Example.")), Is.True);
        }
        Assert.That(upstream.Queries, Is.EqualTo(1));
    }
}
