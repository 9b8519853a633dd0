using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Dnssec;

/// <summary>
/// The signed tree of scripts/make-signed-tree.sh, built fresh in a temporary folder and served by
/// one knotd on a free loopback port; its root DS is the trust anchor of the run.
/// </summary>
internal sealed class SignedTree : IDisposable
{
    private readonly Process _knotd;

    private SignedTree(string folder, int port, Process knotd)
    {
        Folder = folder;
        Port = port;
        _knotd = knotd;
    }

    public string Folder { get; }

    public int Port { get; }

    public string Upstream => $"127.0.0.1:{Port}";

    public string TrustAnchorFile => Path.Combine(Folder, "root.anchor");

    public static async Task<SignedTree> StartAsync()
    {
        string knotd = RequiredTool.Find("knotd", "knot");
        RequiredTool.Find("dnssec-signzone", "bind9-utils");
        string folder = Path.Combine(Path.GetTempPath(), "resolver-dnssec-" + Guid.NewGuid().ToString("N"));
        int port = FreePorts.Udp();
        string script = Path.Combine(RepositoryPaths.RepositoryRoot, "scripts", "make-signed-tree.sh");
        using (var build = Process.Start(new ProcessStartInfo("bash", [script, folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
               { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            string errors = await build.StandardError.ReadToEndAsync();
            if (!build.WaitForExit(60_000) || build.ExitCode != 0)
                Assert.Fail($"make-signed-tree.sh failed: {errors}");
        }
        var process = Process.Start(new ProcessStartInfo(knotd, ["-c", Path.Combine(folder, "knot.conf")])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var tree = new SignedTree(folder, port, process);
        // Bounded wait until knotd answers for the root.
        var server = new IPEndPoint(IPAddress.Loopback, port);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                var reply = await RawDns.AskUdpAsync(server, RawDns.Query(".", RecordType.SOA), TimeSpan.FromMilliseconds(200));
                if (reply.ResponseCode == DnsResponseCode.NoError && reply.Answers.Count > 0)
                    return tree;
            }
            catch (Exception e) when (e is AssertionException or TimeoutException or SocketException or OperationCanceledException)
            {
            }
            if (process.HasExited)
                break;
            await Task.Delay(100);
        }
        tree.Dispose();
        Assert.Fail("knotd did not start serving the signed tree");
        return tree;
    }

    public void Dispose()
    {
        // Only the knotd this tree started, by its own process handle.
        if (!_knotd.HasExited)
        {
            _knotd.Kill();
            _knotd.WaitForExit(5000);
        }
        _knotd.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
