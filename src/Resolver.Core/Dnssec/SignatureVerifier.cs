using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Resolver.Core.Dnssec;

/// <summary>
/// Checks one signature over signed data with one DNSKEY's public key, for the algorithms of
/// <see cref="DnssecAlgorithm"/>. RSA and ECDSA use System.Security.Cryptography; Ed25519 uses
/// BouncyCastle (pure managed: nothing native to load, unlike libsodium-based NSec). A key or
/// signature of the wrong shape is a failed check, never an exception.
/// </summary>
public static class SignatureVerifier
{
    public static bool Verify(byte algorithm, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature)
    {
        try
        {
            return algorithm switch
            {
                DnssecAlgorithm.RsaSha256 => VerifyRsa(publicKey, signedData, signature, HashAlgorithmName.SHA256),
                DnssecAlgorithm.RsaSha512 => VerifyRsa(publicKey, signedData, signature, HashAlgorithmName.SHA512),
                DnssecAlgorithm.EcdsaP256Sha256 => VerifyEcdsa(publicKey, signedData, signature, ECCurve.NamedCurves.nistP256, 32, HashAlgorithmName.SHA256),
                DnssecAlgorithm.EcdsaP384Sha384 => VerifyEcdsa(publicKey, signedData, signature, ECCurve.NamedCurves.nistP384, 48, HashAlgorithmName.SHA384),
                DnssecAlgorithm.Ed25519 => VerifyEd25519(publicKey, signedData, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false; // a key the platform refuses (e.g. an RSA modulus it does not accept)
        }
    }

    /// <summary>
    /// RFC 3110 §2: exponent length in one octet (or zero then two octets), the exponent, then the
    /// modulus, all big-endian. RFC 5702 §3: PKCS#1 v1.5 signatures with SHA-256 / SHA-512.
    /// </summary>
    internal static bool TryReadRsaKey(ReadOnlySpan<byte> key, out RSAParameters parameters)
    {
        parameters = default;
        if (key.Length < 3)
            return false;
        int exponentLength = key[0];
        int offset = 1;
        if (exponentLength == 0)
        {
            exponentLength = (key[1] << 8) | key[2];
            offset = 3;
        }
        if (exponentLength == 0 || key.Length - offset - exponentLength < 1)
            return false;
        var modulus = key[(offset + exponentLength)..];
        // RFC 3110 §2 and RFC 5702 §2.1: leading zero octets are not allowed; 512..4096 bits in practice.
        if (modulus[0] == 0 || modulus.Length > 512)
            return false;
        parameters = new RSAParameters { Exponent = key.Slice(offset, exponentLength).ToArray(), Modulus = modulus.ToArray() };
        return true;
    }

    private static bool VerifyRsa(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        if (!TryReadRsaKey(publicKey, out var parameters) || signature.Length != parameters.Modulus!.Length)
            return false;
        using var rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return rsa.VerifyData(signedData, signature, hash, RSASignaturePadding.Pkcs1);
    }

    // RFC 6605 §4: the key is Q = x | y and the signature r | s, each an integer of the curve's size.
    private static bool VerifyEcdsa(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature,
        ECCurve curve, int size, HashAlgorithmName hash)
    {
        if (publicKey.Length != 2 * size || signature.Length != 2 * size)
            return false;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = publicKey[..size].ToArray(), Y = publicKey[size..].ToArray() },
        });
        return ecdsa.VerifyData(signedData, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    // RFC 8080 §3 and §4: the 32-octet public key and 64-octet signature of RFC 8032.
    private static bool VerifyEd25519(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519PublicKeyParameters.KeySize || signature.Length != Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.SignatureSize)
            return false;
        var signer = new Ed25519Signer();
        signer.Init(forSigning: false, new Ed25519PublicKeyParameters(publicKey));
        signer.BlockUpdate(signedData);
        return signer.VerifySignature(signature.ToArray());
    }
}
