using System.Net;
using Resolver.Client.Transport;

namespace Resolver.Client.Tests;

/// <summary>The allocation-free sockaddr comparison behind the wrong-source check.</summary>
public class SourceAddressTests
{
    [TestCase("127.0.0.1", 5353, "127.0.0.1", 5353, true)]
    [TestCase("127.0.0.1", 5353, "127.0.0.1", 5354, false)]
    [TestCase("127.0.0.1", 5353, "127.0.0.2", 5353, false)]
    [TestCase("::1", 5353, "::1", 5353, true)]
    [TestCase("::1", 5353, "::1", 5354, false)]
    [TestCase("::1", 5353, "::2", 5353, false)]
    [TestCase("fe80::1", 53, "fe80::1:0", 53, false)]
    [TestCase("127.0.0.1", 53, "::ffff:127.0.0.1", 53, false)]
    public void Same_endpoint_means_same_address_and_port(string left, int leftPort, string right, int rightPort, bool same)
    {
        var a = new IPEndPoint(IPAddress.Parse(left), leftPort).Serialize();
        var b = new IPEndPoint(IPAddress.Parse(right), rightPort).Serialize();

        Assert.That(UdpTransport.IsSameEndpoint(a, b), Is.EqualTo(same));
    }
}
