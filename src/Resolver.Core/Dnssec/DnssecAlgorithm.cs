namespace Resolver.Core.Dnssec;

/// <summary>
/// DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers") and DS digest types that the
/// validator implements: the MUST-validate set of RFC 8624 §3.1 and §3.3. A zone signed only with
/// others is treated as insecure, not bogus (RFC 4035 §5.2: no supported algorithm in the DS set).
/// </summary>
public static class DnssecAlgorithm
{
    public const byte RsaSha256 = 8;
    public const byte RsaSha512 = 10;
    public const byte EcdsaP256Sha256 = 13;
    public const byte EcdsaP384Sha384 = 14;
    public const byte Ed25519 = 15;

    public const byte DigestSha256 = 2;
    public const byte DigestSha384 = 4;

    public static bool IsSupported(byte algorithm) =>
        algorithm is RsaSha256 or RsaSha512 or EcdsaP256Sha256 or EcdsaP384Sha384 or Ed25519;

    public static bool IsSupportedDigest(byte digestType) => digestType is DigestSha256 or DigestSha384;
}
