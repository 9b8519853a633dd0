using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Server.Transport.Udp;

namespace Resolver.Server.Tests.Transport;

[Platform("Linux")]
public class UdpSocketGroupTests
{
    [Test]
    public void Port_zero_never_joins_another_group_holding_the_port()
    {
        // 4,000 SO_REUSEPORT sockets of this user hold as many ports of the ~28,000 ephemeral ones. A group bound to
        // port 0 with SO_REUSEPORT set before its bind is given one of them about once in seven binds (the kernel
        // counts reuseport sockets of one user as compatible), and would then share its clients with it; 60 binds
        // without the fix all miss them with a chance of about 1 in 10,000.
        var decoys = new List<Socket>();
        var held = new HashSet<int>();
        try
        {
            for (int i = 0; i < 4000; i++)
            {
                var decoy = UdpSocketGroup.Create(AddressFamily.InterNetwork);
                decoys.Add(decoy);
                Assert.That(UdpSocketGroup.TrySetReusePort(decoy, out _), Is.True);
                decoy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                held.Add(((IPEndPoint)decoy.LocalEndPoint!).Port);
            }

            for (int i = 0; i < 60; i++)
            {
                List<Socket> group = UdpSocketGroup.Bind(new IPEndPoint(IPAddress.Loopback, 0), 2, 0, NullLogger.Instance);
                int port = ((IPEndPoint)group[0].LocalEndPoint!).Port;
                group.ForEach(socket => socket.Dispose());
                Assert.That(held, Does.Not.Contain(port), $"bind {i} shared port {port} with another group");
            }
        }
        finally
        {
            decoys.ForEach(socket => socket.Dispose());
        }
    }
}
