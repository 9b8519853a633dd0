using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// A real Unbound on loopback serving DNS over TLS (<c>tls-port</c>) and DNS over HTTPS (<c>https-port</c>, built
/// with nghttp2 on Debian) from a local zone, with a certificate from <see cref="TestCertificates"/>. Started with
/// <c>-d</c> in a temporary folder and killed by its PID on dispose.
/// </summary>
public sealed class UnboundServer : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private UnboundServer(Process process, string folder, int tlsPort, int httpsPort)
    {
        _process = process;
        _folder = folder;
        Tls = new IPEndPoint(IPAddress.Loopback, tlsPort);
        Https = new IPEndPoint(IPAddress.Loopback, httpsPort);
    }

    public IPEndPoint Tls { get; }

    public IPEndPoint Https { get; }

    /// <summary>Starts Unbound answering <paramref name="localData"/> (e.g. "www.unbound.test. 300 IN A 192.0.2.80").</summary>
    public static async Task<UnboundServer> StartAsync(ServerCertificateFiles certificate, params string[] localData)
    {
        string unbound = RequiredTool.Find("unbound", "unbound");
        string folder = Directory.CreateTempSubdirectory("resolver-unbound-").FullName;
        int tlsPort = FreePorts.Tcp();
        int httpsPort = FreePorts.Tcp();
        string config = Path.Combine(folder, "unbound.conf");
        var data = string.Join(Environment.NewLine, localData.Select(line => $"  local-data: '{line}'"));
        await File.WriteAllTextAsync(config, $"""
            server:
              interface: 127.0.0.1@{tlsPort}
              interface: 127.0.0.1@{httpsPort}
              tls-port: {tlsPort}
              https-port: {httpsPort}
              tls-service-key: "{certificate.KeyFile}"
              tls-service-pem: "{certificate.CertificateFile}"
              http-endpoint: "/dns-query"
              do-ip6: no
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "{folder}"
              pidfile: "{Path.Combine(folder, "unbound.pid")}"
              use-syslog: no
              logfile: ""
              verbosity: 1
              access-control: 127.0.0.0/8 allow
              module-config: "iterator"
              local-zone: "unbound.test." static
            {data}
            remote-control:
              control-enable: no
            """);
        var process = Process.Start(new ProcessStartInfo(unbound, ["-d", "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var server = new UnboundServer(process, folder, tlsPort, httpsPort);
        var started = Stopwatch.StartNew();
        while (!await AcceptsAsync(server.Tls) || !await AcceptsAsync(server.Https))
        {
            if (process.HasExited || started.Elapsed > TimeSpan.FromSeconds(10))
            {
                string output = process.HasExited ? await process.StandardError.ReadToEndAsync() : "(still running)";
                server.Dispose();
                Assert.Fail($"unbound did not start listening on {tlsPort}/{httpsPort}: {output}");
            }
            await Task.Delay(50);
        }
        return server;
    }

    private static async Task<bool> AcceptsAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await socket.ConnectAsync(endpoint, wait.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
