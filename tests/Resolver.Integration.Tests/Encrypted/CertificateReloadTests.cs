using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Server.Transport;

namespace Resolver.Integration.Tests.Encrypted;

/// <summary>
/// SIGHUP makes the DoT and DoH listeners read Resolver:Tls:CertificateFile/KeyFile again (a renewed certificate needs
/// no restart); a new file that cannot be read leaves the certificate in use. The signal goes to this test process,
/// where the resolver under test runs and has its SIGHUP handlers registered, so the test runs alone.
/// </summary>
[NonParallelizable]
public class CertificateReloadTests : ResolverFixture
{
    private TestCertificates _certificates = null!;

    [SetUp]
    public void CreateCertificates() => _certificates = new TestCertificates();

    [TearDown]
    public void DeleteCertificates() => _certificates.Dispose();

    private static async Task<string> PresentedThumbprintAsync(IPEndPoint endpoint, string? alpn = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        string? thumbprint = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            thumbprint = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
            return true; // only the presented certificate is asked about here, not its chain
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "dns.test",
            ApplicationProtocols = alpn is null ? null : [new SslApplicationProtocol(alpn)],
        }, timeout.Token);
        return thumbprint!;
    }

    private static void SendHangupToThisProcess()
    {
        using var kill = Process.Start("kill", ["-HUP", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        Assert.That(kill.WaitForExit(5000) && kill.ExitCode == 0, Is.True, "kill -HUP");
    }

    // The handler runs on a signal thread: poll, bounded, until the listener presents what is expected.
    private static async Task<string> PresentedAfterReloadAsync(IPEndPoint endpoint, string expected, string? alpn = null)
    {
        string presented = "";
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            presented = await PresentedThumbprintAsync(endpoint, alpn);
            if (presented == expected)
                break;
            await Task.Delay(50);
        }
        return presented;
    }

    [Test]
    public async Task Sighup_makes_both_listeners_present_the_renewed_certificate()
    {
        var first = _certificates.Issue();
        await using var resolver = await StartResolverAsync(("ListenTls:0", "127.0.0.1:0"), ("ListenHttps:0", "127.0.0.1:0"),
            ("Tls:CertificateFile", first.CertificateFile), ("Tls:KeyFile", first.KeyFile));
        var endpoints = resolver.Services.GetRequiredService<ListenerEndpoints>();
        Assert.That(await PresentedThumbprintAsync(endpoints.Tls[0]), Is.EqualTo(first.Certificate.Thumbprint));

        // Renewal as certbot and friends do it: new files written over the configured paths, then SIGHUP.
        var renewed = _certificates.Issue();
        File.Copy(renewed.CertificateFile, first.CertificateFile, overwrite: true);
        File.Copy(renewed.KeyFile, first.KeyFile, overwrite: true);
        Assert.That(await PresentedThumbprintAsync(endpoints.Tls[0]), Is.EqualTo(first.Certificate.Thumbprint), "nothing changes before the signal");
        SendHangupToThisProcess();

        Assert.That(await PresentedAfterReloadAsync(endpoints.Tls[0], renewed.Certificate.Thumbprint), Is.EqualTo(renewed.Certificate.Thumbprint),
            "DoT after SIGHUP\n" + resolver.Logs);
        Assert.That(await PresentedAfterReloadAsync(endpoints.Https[0], renewed.Certificate.Thumbprint, "h2"), Is.EqualTo(renewed.Certificate.Thumbprint),
            "DoH after SIGHUP");
        Assert.That(resolver.Logs.ToString(), Does.Contain("TLS certificate reloaded"));
    }

    [Test]
    public async Task Sighup_with_an_unreadable_new_certificate_keeps_the_old_one_and_says_why()
    {
        var first = _certificates.Issue();
        await using var resolver = await StartResolverAsync(("ListenTls:0", "127.0.0.1:0"),
            ("Tls:CertificateFile", first.CertificateFile), ("Tls:KeyFile", first.KeyFile));
        var tls = resolver.Services.GetRequiredService<ListenerEndpoints>().Tls[0];
        Assert.That(await PresentedThumbprintAsync(tls), Is.EqualTo(first.Certificate.Thumbprint));

        File.WriteAllText(first.CertificateFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        SendHangupToThisProcess();
        var waited = Stopwatch.StartNew();
        while (!resolver.Logs.ToString().Contains("TLS certificate not reloaded") && waited.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(50);

        Assert.That(resolver.Logs.ToString(), Does.Contain("TLS certificate not reloaded, the previous one stays"));
        Assert.That(await PresentedThumbprintAsync(tls), Is.EqualTo(first.Certificate.Thumbprint), "the old certificate still serves");
    }
}
