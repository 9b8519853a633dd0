using System.Security.Cryptography.X509Certificates;

namespace Resolver.Client.Upstreams;

/// <summary>
/// Which certificates an encrypted upstream may present: those the system store trusts, and those issued by the extra
/// CAs of <c>Resolver:Tls:CaFile</c> (a private resolver's own CA, or a test's throw-away one).
/// </summary>
public sealed class TlsTrust
{
    public static readonly TlsTrust SystemOnly = new([]);

    public TlsTrust(X509Certificate2Collection extraRoots) => ExtraRoots = extraRoots;

    /// <summary>CAs trusted beside the system store.</summary>
    public X509Certificate2Collection ExtraRoots { get; }

    /// <summary>Reads every certificate of a PEM file; throws <see cref="InvalidDataException"/> naming the file when it holds none.</summary>
    public static TlsTrust FromPemFile(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidDataException($"CA file '{path}' cannot be read: {error.Message}", error);
        }
        if (roots.Count == 0)
            throw new InvalidDataException($"CA file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        return new TlsTrust(roots);
    }

    /// <summary>The pin of a certificate as pin-sha256 takes it: base64 of the SHA-256 digest of its SubjectPublicKeyInfo (RFC 7469 §2.4).</summary>
    public static string PinOf(X509Certificate2 certificate) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
