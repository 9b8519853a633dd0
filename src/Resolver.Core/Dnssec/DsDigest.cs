using System.Security.Cryptography;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4034 §5.1.4: digest = hash(canonical owner name | DNSKEY RDATA), SHA-256 (RFC 4509) or
/// SHA-384 (RFC 6605 §2); and whether a DS names a DNSKEY (key tag, algorithm, digest).
/// </summary>
public static class DsDigest
{
    /// <summary>The digest, or null for a digest type the validator does not implement.</summary>
    public static byte[]? Compute(DnsName owner, DnskeyRecordData key, byte digestType)
    {
        var name = owner.ToLowerInvariant().Wire;
        var rdata = key.ToWire();
        var input = new byte[name.Length + rdata.Length];
        name.CopyTo(input);
        rdata.CopyTo(input, name.Length);
        return digestType switch
        {
            DnssecAlgorithm.DigestSha256 => SHA256.HashData(input),
            DnssecAlgorithm.DigestSha384 => SHA384.HashData(input),
            _ => null,
        };
    }

    public static bool Matches(DsRecordData ds, DnsName owner, DnskeyRecordData key)
    {
        if (ds.KeyTag != key.KeyTag || ds.Algorithm != key.Algorithm)
            return false;
        var digest = Compute(owner, key, ds.DigestType);
        // Not secret data: an ordinary comparison is enough.
        return digest is not null && digest.AsSpan().SequenceEqual(ds.Digest);
    }
}
