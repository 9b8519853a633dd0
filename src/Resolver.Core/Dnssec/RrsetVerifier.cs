using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4035 §5.3: checks an RRset against its RRSIGs with the validated DNSKEYs of the signer's
/// zone. One RRSIG that passes every check makes the set secure; otherwise the reason of the
/// most telling failure is returned (expired beats "no key", a failed signature beats both).
/// </summary>
public static class RrsetVerifier
{
    /// <summary>
    /// <paramref name="signatures"/> are the RRSIGs at the RRset's owner covering its type.
    /// <paramref name="wildcardLabels"/> is the RRSIG labels count when the secure set was a
    /// wildcard expansion (RFC 4035 §5.3.4: the caller must then prove no closer match), else -1.
    /// </summary>
    public static ValidationResult Verify(IReadOnlyList<DnsRecord> rrset, IReadOnlyList<RrsigRecordData> signatures, DnsName zone,
        IReadOnlyList<DnskeyRecordData> keys, DateTimeOffset now, TimeSpan skew, out int wildcardLabels)
    {
        wildcardLabels = -1;
        if (signatures.Count == 0)
            return ValidationResult.Bogus(ExtendedErrorCode.RrsigsMissing, $"no RRSIG for {rrset[0].Name} {rrset[0].Type}");
        var owner = rrset[0].Name;
        int ownerLabels = CanonicalForm.CountLabels(owner);
        ValidationResult failure = ValidationResult.Bogus(ExtendedErrorCode.DnskeyMissing, $"no DNSKEY of {zone} matches the RRSIGs of {owner} {rrset[0].Type}");
        int rank = 0;
        foreach (var rrsig in signatures)
        {
            // §5.3.1: signer is the zone, the owner lies in it, the type and labels fit.
            if (rrsig.SignerName != zone || !owner.IsSubdomainOf(zone) || rrsig.TypeCovered != rrset[0].Type || rrsig.Labels > ownerLabels)
                continue;
            if (!DnssecAlgorithm.IsSupported(rrsig.Algorithm))
                continue;
            var window = SignatureWindow.Check(rrsig.Inception, rrsig.Expiration, now, skew);
            if (window != SignatureWindow.Position.Valid)
            {
                Keep(ref failure, ref rank, 2, window == SignatureWindow.Position.Expired
                    ? ValidationResult.Bogus(ExtendedErrorCode.SignatureExpired, $"RRSIG of {owner} {rrset[0].Type} expired")
                    : ValidationResult.Bogus(ExtendedErrorCode.SignatureNotYetValid, $"RRSIG of {owner} {rrset[0].Type} not yet valid"));
                continue;
            }
            byte[]? signed = null;
            foreach (var key in keys)
            {
                if (key.Algorithm != rrsig.Algorithm || key.Protocol != 3 || key.KeyTag != rrsig.KeyTag)
                    continue;
                if (!key.IsZoneKey)
                {
                    Keep(ref failure, ref rank, 1, ValidationResult.Bogus(ExtendedErrorCode.NoZoneKeyBitSet, $"DNSKEY {key.KeyTag} of {zone} has no zone key bit"));
                    continue;
                }
                signed ??= CanonicalForm.SignedData(rrset, rrsig);
                if (VerifiedSignatures.Contains(key, signed, rrsig.Signature) || VerifyAndRemember(key, signed, rrsig.Signature))
                {
                    wildcardLabels = rrsig.Labels < ownerLabels ? rrsig.Labels : -1;
                    return ValidationResult.Secure;
                }
                Keep(ref failure, ref rank, 3, ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"signature of {owner} {rrset[0].Type} by key {key.KeyTag} does not verify"));
            }
        }
        return failure;
    }

    private static bool VerifyAndRemember(DnskeyRecordData key, byte[] signed, byte[] signature)
    {
        if (!SignatureVerifier.Verify(key, signed, signature))
            return false;
        VerifiedSignatures.Add(key, signed, signature);
        return true;
    }

    private static void Keep(ref ValidationResult failure, ref int rank, int newRank, ValidationResult candidate)
    {
        if (newRank > rank)
        {
            failure = candidate;
            rank = newRank;
        }
    }
}
