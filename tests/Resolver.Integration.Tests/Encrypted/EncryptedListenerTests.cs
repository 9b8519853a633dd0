using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Server.Transport;

namespace Resolver.Integration.Tests.Encrypted;

/// <summary>Resolver's own DoT (--listen-tls) and DoH (--listen-https) listeners, asked by kdig and by a silent client.</summary>
public class EncryptedListenerTests : ResolverFixture
{
    private TestCertificates _certificates = null!;
    private ServerCertificateFiles _server = null!;

    [SetUp]
    public void CreateCertificates()
    {
        _certificates = new TestCertificates();
        _server = _certificates.Issue();
    }

    [TearDown]
    public void DeleteCertificates() => _certificates.Dispose();

    private Task<ResolverUnderTest> StartListeningAsync(params (string Key, string Value)[] settings) =>
        StartResolverAsync([("ListenTls:0", "127.0.0.1:0"), ("ListenHttps:0", "127.0.0.1:0"),
            ("Tls:CertificateFile", _server.CertificateFile), ("Tls:KeyFile", _server.KeyFile), .. settings]);

    [TestCase("+tls")]
    [TestCase("+https")]
    [TestCase("+https-get")]
    public async Task Kdig_gets_an_answer_over_the_encrypted_listener(string mode)
    {
        string kdig = RequiredTool.Find("kdig", "knot-dnsutils");
        await using var resolver = await StartListeningAsync();
        var endpoints = resolver.Services.GetRequiredService<ListenerEndpoints>();
        var port = mode == "+tls" ? endpoints.Tls[0].Port : endpoints.Https[0].Port;
        string[] transport = mode switch
        {
            "+tls" => ["+tls"],
            "+https" => ["+https=/dns-query"],
            _ => ["+https=/dns-query", "+https-get"],
        };

        var (exit, output) = await RunAsync(kdig, ["@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. transport, $"+tls-ca={_certificates.CaFile}", "+tls-hostname=dns.test", "+timeout=3", "+retry=0", "www.fwd.test", "A"]);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("NOERROR"), output);
        Assert.That(output, Does.Contain("192.0.2.1"), output);
    }

    // RFC 7830 §3 and RFC 8467 §4.1: a padded query over an encrypted transport gets an answer padded to 468-octet
    // blocks; an unpadded query gets none. kdig prints the answer's size and its OPT's padding.
    [TestCase("+tls", true)]
    [TestCase("+https", true)]
    [TestCase("+tls", false)]
    public async Task Encrypted_answers_are_padded_to_468_octet_blocks_when_the_query_was_padded(string mode, bool padded)
    {
        string kdig = RequiredTool.Find("kdig", "knot-dnsutils");
        await using var resolver = await StartListeningAsync();
        var endpoints = resolver.Services.GetRequiredService<ListenerEndpoints>();
        var port = mode == "+tls" ? endpoints.Tls[0].Port : endpoints.Https[0].Port;
        string[] transport = mode == "+tls" ? ["+tls"] : ["+https=/dns-query"];

        var (exit, output) = await RunAsync(kdig, ["@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. transport, padded ? "+padding" : "+nopadding", $"+tls-ca={_certificates.CaFile}", "+tls-hostname=dns.test",
            "+timeout=3", "+retry=0", "www.fwd.test", "A"]);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("192.0.2.1"), output);
        var received = System.Text.RegularExpressions.Regex.Match(output, @"Received (\d+) B");
        Assert.That(received.Success, Is.True, output);
        int size = int.Parse(received.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (padded)
        {
            Assert.That(size % 468, Is.Zero, output);
            Assert.That(output, Does.Contain("PADDING"), output);
        }
        else
        {
            Assert.That(size, Is.LessThan(468), output);
        }
    }

    [TestCase("tls://127.0.0.1:{0}#dns.test")]
    [TestCase("https://dns.test:{1}/dns-query?bootstrap=127.0.0.1")]
    [TestCase("https://127.0.0.1:{1}/dns-query?method=get")]
    public async Task Resolver_query_asks_over_tls_and_https(string upstream)
    {
        await using var resolver = await StartListeningAsync();
        var endpoints = resolver.Services.GetRequiredService<ListenerEndpoints>();
        string at = "@" + string.Format(System.Globalization.CultureInfo.InvariantCulture, upstream, endpoints.Tls[0].Port, endpoints.Https[0].Port);
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await Resolver.Server.Commands.CommandDispatcher.RunAsync(
            ["query", "www.fwd.test", at, $"+tls-ca={_certificates.CaFile}", "+short"], output, error);

        Assert.That(code, Is.Zero, output + error.ToString());
        Assert.That(output.ToString().Trim(), Is.EqualTo("192.0.2.1"), error.ToString());
    }

    [Test]
    public async Task Query_log_names_the_transport_tls_and_https()
    {
        string folder = Directory.CreateTempSubdirectory("resolver-querylog-").FullName;
        string log = Path.Combine(folder, "queries.jsonl");
        try
        {
            await using (var resolver = await StartListeningAsync(("QueryLog:Path", log)))
            {
                var endpoints = resolver.Services.GetRequiredService<ListenerEndpoints>();
                foreach (string at in new[] { $"@tls://127.0.0.1:{endpoints.Tls[0].Port}#dns.test", $"@https://127.0.0.1:{endpoints.Https[0].Port}/dns-query" })
                {
                    var error = new StringWriter();
                    int code = await Resolver.Server.Commands.CommandDispatcher.RunAsync(
                        ["query", "www.fwd.test", at, $"+tls-ca={_certificates.CaFile}", "+short"], new StringWriter(), error);
                    Assert.That(code, Is.Zero, error.ToString());
                }
            } // a clean stop writes what was answered
            var transports = File.ReadAllLines(log).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("transport").GetString());
            Assert.That(transports, Is.EqualTo(new[] { "tls", "https" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Client_that_never_finishes_its_handshake_is_disconnected_after_the_handshake_timeout()
    {
        await using var resolver = await StartListeningAsync(("Tls:HandshakeTimeoutMs", "300"));
        var tls = resolver.Services.GetRequiredService<ListenerEndpoints>().Tls[0];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(tls);
        var waited = Stopwatch.StartNew();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read = await socket.ReceiveAsync(new byte[16], SocketFlags.None, limit.Token);

        Assert.That(read, Is.Zero, "the server closes without a word");
        Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Listener_without_a_certificate_is_a_clear_start_up_error()
    {
        var failure = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StartResolverAsync(("ListenTls:0", "127.0.0.1:0")));
        Assert.That(failure!.Message, Does.Contain("CertificateFile and KeyFile"));
        await Task.CompletedTask;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }
}
