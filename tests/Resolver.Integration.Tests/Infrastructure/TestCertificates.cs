using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// A throw-away CA and the server certificates it issues, made at run time with <see cref="CertificateRequest"/>
/// (no key is ever committed), written as PEM files to a temporary folder that is deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("resolver-tls-").FullName;
    private int _files;

    public TestCertificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Resolver test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The CA as PEM, for Resolver:Tls:CaFile / --tls-ca.</summary>
    public string CaFile { get; }

    /// <summary>A server certificate for <paramref name="name"/> and 127.0.0.1, valid from yesterday for a month unless told otherwise.</summary>
    public ServerCertificateFiles Issue(string name = "dns.test", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(29);
        using var issued = request.Create(Ca, from, until, RandomNumberGenerator.GetBytes(12));
        var certificate = issued.CopyWithPrivateKey(key);
        int n = Interlocked.Increment(ref _files);
        string certFile = Path.Combine(_folder, $"server{n}.pem");
        string keyFile = Path.Combine(_folder, $"server{n}.key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return new ServerCertificateFiles(certificate, certFile, keyFile);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A server certificate with its private key, and its PEM files (certificate then CA; key).</summary>
public sealed record ServerCertificateFiles(X509Certificate2 Certificate, string CertificateFile, string KeyFile);
