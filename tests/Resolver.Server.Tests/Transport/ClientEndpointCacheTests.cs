using System.Net;
using System.Net.Sockets;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Tests.Transport;

/// <summary>The receive loop's endpoint reuse: steady clients cost no allocation per datagram.</summary>
public class ClientEndpointCacheTests
{
    [Test]
    public void Clients_taking_turns_each_keep_their_endpoint_object()
    {
        var cache = new ClientEndpointCache(AddressFamily.InterNetwork);
        var clients = Enumerable.Range(0, 8).Select(i => new IPEndPoint(IPAddress.Loopback, 40000 + i).Serialize()).ToArray();
        var first = clients.Select(cache.Get).ToArray();

        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < clients.Length; i++)
                Assert.That(cache.Get(clients[i]), Is.SameAs(first[i]), $"client {i}, round {round}");
        }
    }

    [Test]
    public void Many_clients_taking_turns_cost_no_allocation_after_their_first_query()
    {
        // 64 clients in a 2,048-entry table: where two share a set, the two-way sets keep both.
        var cache = new ClientEndpointCache(AddressFamily.InterNetwork);
        var clients = Enumerable.Range(0, 64).Select(i => new IPEndPoint(IPAddress.Parse("192.0.2." + (i % 4 + 1)), 40000 + i).Serialize()).ToArray();
        foreach (var client in clients)
            cache.Get(client);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            foreach (var client in clients)
                cache.Get(client);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Endpoint_reports_the_client_address_and_port()
    {
        var cache = new ClientEndpointCache(AddressFamily.InterNetworkV6);
        var client = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5353);

        Assert.That(cache.Get(client.Serialize()), Is.EqualTo(client));
    }

    [Test]
    public void A_reused_receive_address_is_not_confused_with_the_previous_client()
    {
        var cache = new ClientEndpointCache(AddressFamily.InterNetwork);
        var receive = new SocketAddress(AddressFamily.InterNetwork);
        var one = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1000);
        var two = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 1000);

        Fill(receive, one);
        var seenOne = cache.Get(receive);
        Fill(receive, two);
        var seenTwo = cache.Get(receive);

        Assert.Multiple(() =>
        {
            Assert.That(seenOne, Is.EqualTo(one));
            Assert.That(seenTwo, Is.EqualTo(two));
        });
    }

    [Test]
    public void Steady_clients_cost_no_allocation()
    {
        var cache = new ClientEndpointCache(AddressFamily.InterNetwork);
        var clients = Enumerable.Range(0, 4).Select(i => new IPEndPoint(IPAddress.Loopback, 41000 + i).Serialize()).ToArray();
        foreach (var client in clients)
            cache.Get(client);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            cache.Get(clients[i % clients.Length]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    private static void Fill(SocketAddress target, IPEndPoint endpoint)
    {
        var source = endpoint.Serialize();
        source.Buffer.Span[..source.Size].CopyTo(target.Buffer.Span);
        target.Size = source.Size;
    }
}
