using System.Net.Sockets;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>
/// A burst of distinct names released at once against a healthy upstream: every client gets its own correct
/// answer, none SERVFAIL, none lost. Each query is a cache miss, so all of them are forwarded at the same moment.
/// </summary>
public sealed class BurstTests : ResolverFixture
{
    private const int Clients = 2000;

    [Test]
    public async Task Two_thousand_distinct_names_released_at_once_all_get_their_answers()
    {
        var zone = new System.Text.StringBuilder();
        for (int i = 0; i < Clients; i++)
            zone.Append(System.Globalization.CultureInfo.InvariantCulture, $"b{i:D4} IN A 10.9.{i / 256}.{i % 256}\n");
        Upstream.Add(zone.ToString());
        await using var resolver = await StartResolverAsync();

        var sockets = new Socket[Clients];
        var queries = new DnsMessage[Clients];
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                sockets[i] = new Socket(resolver.Udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                sockets[i].Connect(resolver.Udp);
                queries[i] = RawDns.Query($"b{i:D4}.fwd.test.", RecordType.A, edns: true);
            }
            var datagrams = queries.Select(query => query.ToArray()).ToArray();
            // Every receive is waiting before the first query leaves, and the queries go out back to back.
            var replies = sockets.Select(socket => RawDns.ReceiveAsync(socket, TimeSpan.FromSeconds(6))).ToArray();
            for (int i = 0; i < Clients; i++)
                sockets[i].Send(datagrams[i]);
            var received = await Task.WhenAll(replies);
            TestContext.Out.WriteLine($"upstream saw {Upstream.TotalQueries} queries for {Clients} names");

            var lost = Enumerable.Range(0, Clients).Where(i => received[i] is null).ToList();
            var answers = Enumerable.Range(0, Clients).Where(i => received[i] is not null)
                .Select(i => (Index: i, Message: RawDns.Parse(received[i]!))).ToList();
            var servfail = answers.Where(a => a.Message.ResponseCode == DnsResponseCode.ServFail).Select(a => a.Index).ToList();
            var wrong = answers.Where(a => a.Message.ResponseCode != DnsResponseCode.ServFail
                && (a.Message.Id != queries[a.Index].Id
                    || a.Message.Answers.Count != 1
                    || a.Message.Answers[0].Data.ToText() != $"10.9.{a.Index / 256}.{a.Index % 256}")).Select(a => a.Index).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(lost, Is.Empty, $"{lost.Count} clients got no answer");
                Assert.That(servfail, Is.Empty, $"{servfail.Count} clients got SERVFAIL from a healthy upstream: "
                    + string.Join("; ", servfail.Take(5).Select(i => RawDns.Describe(answers.First(a => a.Index == i).Message))));
                Assert.That(wrong, Is.Empty, $"{wrong.Count} clients got another name's answer or a wrong ID");
            });
        }
        finally
        {
            foreach (var socket in sockets)
                socket?.Dispose();
        }
    }
}
