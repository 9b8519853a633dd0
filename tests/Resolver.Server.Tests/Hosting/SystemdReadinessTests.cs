using System.Net.Sockets;
using System.Text;
using Resolver.Server.Tests.Transport;

namespace Resolver.Server.Tests.Hosting;

/// <summary>
/// systemd Type=notify: the service sends READY=1 on the socket named by NOTIFY_SOCKET only when it answers
/// queries, and STOPPING=1 when SIGTERM begins the stop. The test plays systemd's part with a Unix datagram socket.
/// </summary>
[NonParallelizable]
public class SystemdReadinessTests
{
    [Test]
    public async Task Ready_is_notified_once_the_listener_answers_and_stopping_when_sigterm_arrives()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("sd_notify is Linux's");
        string path = Path.Combine(Path.GetTempPath(), $"resolver-notify-{Guid.NewGuid():N}.sock");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var service = await ServiceProcess.StartAsync([], ("NOTIFY_SOCKET", path));

            string ready = await ReceiveAsync(manager);
            // READY=1 came: the listener must answer now, with no wait.
            using (var client = new UdpClientSocket(service.Udp))
            {
                await client.SendAsync(TestMessages.Query(0x7a7a));
                byte[] answer = await client.ReceiveRequiredAsync();
                Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x7a7a));
            }

            Assert.That(service.Terminate(), Is.True, "the service exits after SIGTERM");
            string stopping = await ReceiveAsync(manager);

            Assert.Multiple(() =>
            {
                Assert.That(ready, Does.Contain("READY=1"));
                Assert.That(stopping, Does.Contain("STOPPING=1"));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Without_notify_socket_the_service_starts_as_before()
    {
        using var service = await ServiceProcess.StartAsync([], ("NOTIFY_SOCKET", ""));
        using var client = new UdpClientSocket(service.Udp);
        await client.SendAsync(TestMessages.Query(0x7b7b));

        Assert.That(TestMessages.IdOf(await client.ReceiveRequiredAsync()), Is.EqualTo(0x7b7b));
    }

    [Test]
    public async Task Logs_going_to_the_journal_carry_its_priority_prefix()
    {
        // systemd sets JOURNAL_STREAM (device:inode of the stream) when the output goes to the journal.
        using var service = await ServiceProcess.StartAsync([], ("JOURNAL_STREAM", "8:12345"), ("Logging__Console__FormatterName", ""));

        var listening = service.Output.Split('\n').First(line => line.Contains("Listening on", StringComparison.Ordinal));
        Assert.That(listening, Does.StartWith("<6>"), "informational: syslog priority 6, as journald reads it");
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, received);
    }
}
