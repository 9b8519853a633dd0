using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Resolver.Protocol.Records;
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
    // The platform's key object per DNSKEY, made once: importing an ECDSA public key validates the point (a scalar
    // multiplication) and costs more than the verification itself, so a validated miss that imported the zone's key
    // afresh spent ~1 ms of CPU where Unbound spends ~0.1 (scripts/bench-dnssec.sh). Keyed by the DNSKEY's record
    // data, which the chain of trust keeps for the key set's TTL: the entry goes when the key set does.
    private static readonly ConditionalWeakTable<DnskeyRecordData, AsymmetricAlgorithm> ImportedKeys = new();

    /// <summary>Checks <paramref name="signature"/> with <paramref name="key"/>, reusing its imported form.</summary>
    public static bool Verify(DnskeyRecordData key, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature)
    {
        if (key.Algorithm is not (DnssecAlgorithm.RsaSha256 or DnssecAlgorithm.RsaSha512 or DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384))
            return Verify(key.Algorithm, key.PublicKey, signedData, signature);
        try
        {
            if (!ImportedKeys.TryGetValue(key, out var imported))
            {
                imported = Import(key);
                if (imported is null)
                    return false;
                imported = ImportedKeys.GetValue(key, _ => imported);
            }
            // One key object may be shared by queries validated on several threads; the platform does not promise
            // that concurrent use of one instance is safe, so verifications with the same key take turns (tens of µs).
            lock (imported)
            {
                return imported switch
                {
                    RSA rsa => signature.Length == (rsa.KeySize + 7) / 8
                        && rsa.VerifyData(signedData, signature, key.Algorithm == DnssecAlgorithm.RsaSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                    ECDsa ecdsa => signature.Length == 2 * EcdsaSize(key.Algorithm)
                        && ecdsa.VerifyData(signedData, signature, key.Algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384,
                            DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                    _ => false,
                };
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static int EcdsaSize(byte algorithm) => algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? 32 : 48;

    // The key in the platform's form, or null when it has the wrong shape (a failed check, as in Verify below).
    private static AsymmetricAlgorithm? Import(DnskeyRecordData key)
    {
        if (key.Algorithm is DnssecAlgorithm.RsaSha256 or DnssecAlgorithm.RsaSha512)
        {
            if (!TryReadRsaKey(key.PublicKey, out var parameters))
                return null;
            var rsa = RSA.Create();
            rsa.ImportParameters(parameters);
            return rsa;
        }
        int size = EcdsaSize(key.Algorithm);
        if (key.PublicKey.Length != 2 * size)
            return null;
        return ECDsa.Create(new ECParameters
        {
            Curve = size == 32 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
            Q = new ECPoint { X = key.PublicKey[..size], Y = key.PublicKey[size..] },
        });
    }

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
