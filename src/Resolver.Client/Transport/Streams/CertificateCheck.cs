using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resolver.Client.Upstreams;

namespace Resolver.Client.Transport.Streams;

/// <summary>
/// Decides whether an encrypted upstream's certificate is acceptable (RFC 8310 §8, strict privacy profile: never
/// fall back to clear text). It must chain to the system store or to a CA of <see cref="TlsTrust"/>, be within its
/// validity period, carry the upstream's name (or IP address), and, when the upstream has a pin set, one
/// certificate of the chain must have a SubjectPublicKeyInfo whose SHA-256 digest is in it (RFC 7858 §4.2). The pin
/// set narrows the trust; it never replaces the chain check. Revocation is not checked: a resolver must not need
/// the network (OCSP, CRL) to reach its upstream.
/// </summary>
internal sealed class CertificateCheck(UpstreamEndpoint upstream, TlsTrust trust)
{
    private volatile string? _lastRejection;

    /// <summary>Why the last certificate was refused, for the exception the handshake failure becomes.</summary>
    public string? LastRejection => _lastRejection;

    public RemoteCertificateValidationCallback Callback => Validate;

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string? reason = Check(certificate, chain, errors);
        _lastRejection = reason;
        return reason is null;
    }

    /// <summary>Null when the certificate is acceptable, else why not.</summary>
    internal string? Check(X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            return "the server presented no certificate";
        if (presented is not X509Certificate2 certificate)
            return "the server's certificate could not be read";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"the certificate does not carry the name {upstream.TargetHost} (subject {certificate.Subject})";
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && ChainProblem(certificate, chain) is { } problem)
            return problem;
        if (upstream.Pins.Count > 0 && !MatchesPin(certificate, chain))
            return "no certificate of the chain matches the upstream's pin-sha256 set";
        return null;
    }

    /// <summary>The system store said no; the extra CAs may still say yes.</summary>
    private string? ChainProblem(X509Certificate2 certificate, X509Chain? systemChain)
    {
        string systemProblem = Describe(systemChain);
        if (trust.ExtraRoots.Count == 0)
            return "the certificate is not trusted: " + systemProblem;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.ExtraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (systemChain is not null)
        {
            foreach (var element in systemChain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(certificate) ? null : "the certificate is not trusted: " + Describe(chain);
    }

    private static string Describe(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0)
            return "no chain to a trusted CA";
        var parts = new List<string>();
        foreach (var status in chain.ChainStatus)
            parts.Add(status.Status.ToString());
        return string.Join(", ", parts);
    }

    private bool MatchesPin(X509Certificate2 leaf, X509Chain? chain)
    {
        if (MatchesPin(leaf))
            return true;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                if (MatchesPin(element.Certificate))
                    return true;
            }
        }
        return false;
    }

    private bool MatchesPin(X509Certificate2 certificate)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo(), digest);
        foreach (byte[] pin in upstream.Pins)
        {
            if (digest.SequenceEqual(pin))
                return true;
        }
        return false;
    }
}
