using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Resolver.Core.Dnssec;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Dnssec;

/// <summary>
/// A zone key made at test time with .NET's RSA/ECDsa or BouncyCastle's Ed25519, and a signer
/// that builds the RFC 4034 §3.1.8.1 signed data by hand (not through <see cref="CanonicalForm"/>),
/// so a test that verifies its signatures checks the validator against an independent encoding.
/// </summary>
internal sealed class TestZoneKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    public TestZoneKey(DnsName zone, byte algorithm, ushort flags = 257)
    {
        Zone = zone;
        Algorithm = algorithm;
        byte[] publicKey;
        switch (algorithm)
        {
            case DnssecAlgorithm.RsaSha256 or DnssecAlgorithm.RsaSha512:
                _rsa = RSA.Create(2048);
                var p = _rsa.ExportParameters(false);
                // RFC 3110 §2: exponent length, exponent, modulus.
                publicKey = [(byte)p.Exponent!.Length, .. p.Exponent, .. p.Modulus!];
                break;
            case DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384:
                _ecdsa = ECDsa.Create(algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
                var q = _ecdsa.ExportParameters(false).Q;
                publicKey = [.. q.X!, .. q.Y!];
                break;
            default:
                _ed25519 = new Ed25519PrivateKeyParameters(new SecureRandom());
                publicKey = _ed25519.GeneratePublicKey().GetEncoded();
                break;
        }
        Key = new DnskeyRecordData(flags, 3, algorithm, publicKey);
    }

    public DnsName Zone { get; }

    public byte Algorithm { get; }

    public DnskeyRecordData Key { get; }

    public DnsRecord KeyRecord => new(Zone, RecordType.DNSKEY, RecordClass.IN, 3600, Key);

    public DsRecordData Ds(byte digestType = DnssecAlgorithm.DigestSha256) =>
        new(Key.KeyTag, Algorithm, digestType, DsDigest.Compute(Zone, Key, digestType)!);

    /// <summary>Signs <paramref name="rrset"/> (RDATA given as wire octets, already canonical and sorted by the caller).</summary>
    public RrsigRecordData Sign(DnsName signedOwner, RecordType type, uint ttl, IReadOnlyList<byte[]> canonicalRdatas, int labels,
        DateTimeOffset inception, DateTimeOffset expiration)
    {
        var prefix = new RrsigRecordData(type, Algorithm, (byte)labels, ttl, (uint)expiration.ToUnixTimeSeconds(), (uint)inception.ToUnixTimeSeconds(),
            Key.KeyTag, Zone, []);
        var data = new List<byte>();
        var head = new byte[18];
        BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)type);
        head[2] = Algorithm;
        head[3] = (byte)labels;
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), ttl);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), prefix.Expiration);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(12), prefix.Inception);
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(16), Key.KeyTag);
        data.AddRange(head);
        data.AddRange(Lower(Zone.Wire.ToArray()));
        foreach (var rdata in canonicalRdatas)
        {
            data.AddRange(Lower(signedOwner.Wire.ToArray()));
            var fixedPart = new byte[10];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)type);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 1);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), ttl);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)rdata.Length);
            data.AddRange(fixedPart);
            data.AddRange(rdata);
        }
        var signature = SignData(data.ToArray());
        return new RrsigRecordData(type, Algorithm, (byte)labels, ttl, prefix.Expiration, prefix.Inception, Key.KeyTag, Zone, signature);
    }

    private byte[] SignData(byte[] data)
    {
        if (_rsa is not null)
            return _rsa.SignData(data, Algorithm == DnssecAlgorithm.RsaSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);
        if (_ecdsa is not null)
            return _ecdsa.SignData(data, Algorithm == DnssecAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var signer = new Ed25519Signer();
        signer.Init(true, _ed25519);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    private static byte[] Lower(byte[] wire)
    {
        for (int i = 0; i < wire.Length; i++)
            wire[i] = wire[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(wire[i] | 0x20) : wire[i];
        return wire;
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }
}
