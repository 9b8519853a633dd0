using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Dnssec;

/// <summary>
/// A real Unbound validating in forwarding mode (<c>module-config: "validator iterator"</c>) in front of the signed
/// tree, with the tree's root DS as its only trust anchor: the reference Resolver's verdicts are compared with.
/// Started with <c>-d</c> in a temporary folder, stopped by its own process handle.
/// </summary>
internal sealed class ValidatingUnbound : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private ValidatingUnbound(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Endpoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<ValidatingUnbound> StartAsync(SignedTree tree)
    {
        string unbound = RequiredTool.Find("unbound", "unbound");
        string folder = Directory.CreateTempSubdirectory("resolver-unbound-validator-").FullName;
        int port = FreePorts.Udp();
        string config = Path.Combine(folder, "unbound.conf");
        await File.WriteAllTextAsync(config, $"""
            server:
              interface: 127.0.0.1@{port}
              do-ip6: no
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "{folder}"
              pidfile: ""
              use-syslog: no
              logfile: ""
              verbosity: 1
              val-log-level: 2
              access-control: 127.0.0.0/8 allow
              do-not-query-localhost: no
              module-config: "validator iterator"
              trust-anchor-file: "{tree.TrustAnchorFile}"
              qname-minimisation: no
              # test. is one of Unbound's built-in RFC 6761 local zones (NXDOMAIN); let it through.
              local-zone: "test." nodefault
            remote-control:
              control-enable: no
            forward-zone:
              name: "."
              forward-addr: 127.0.0.1@{tree.Port}
            """);
        var process = Process.Start(new ProcessStartInfo(unbound, ["-d", "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var server = new ValidatingUnbound(process, folder, port);
        // Bounded wait for its first answer: the root SOA through the forward zone.
        for (int attempt = 0; attempt < 50 && !process.HasExited; attempt++)
        {
            try
            {
                var reply = await RawDns.AskUdpAsync(server.Endpoint, RawDns.Query(".", RecordType.SOA), TimeSpan.FromMilliseconds(200));
                if (reply.ResponseCode == DnsResponseCode.NoError)
                    return server;
            }
            catch (Exception e) when (e is AssertionException or TimeoutException or SocketException or OperationCanceledException)
            {
            }
            await Task.Delay(100);
        }
        string errors = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
        server.Dispose();
        Assert.Fail($"the validating unbound did not answer on {port}: {errors}");
        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
