using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4035 §5.3.4 and RFC 5155 §8.8: an answer expanded from a wildcard is secure only with a
/// verified NSEC (or NSEC3) in the authority section proving no closer name exists.
/// </summary>
public static class WildcardProof
{
    public static ValidationResult Check(DnsMessage upstream, DnsName owner, int rrsigLabels, ZoneSecurity zone, DateTimeOffset now, TimeSpan skew)
    {
        var authority = new SignedSection(upstream.Authorities);
        var nsecs = new List<ProvenRecord<NsecRecordData>>();
        var nsec3s = new List<ProvenRecord<Nsec3RecordData>>();
        foreach (var rrset in authority.Rrsets)
        {
            if (rrset.Type is not (RecordType.NSEC or RecordType.NSEC3))
                continue;
            var check = RrsetVerifier.Verify(rrset.Records, rrset.Signatures, zone.Zone, zone.Keys, now, skew, out _);
            if (check.IsBogus)
                return check;
            foreach (var record in rrset.Records)
            {
                if (record.Data is NsecRecordData nsec)
                    nsecs.Add(new(record.Name, nsec));
                else if (record.Data is Nsec3RecordData nsec3)
                    nsec3s.Add(new(record.Name, nsec3));
            }
        }
        if (nsecs.Count > 0 && NsecDenial.ProveNoCloserMatch(nsecs, owner) == DenialResult.Proven)
            return ValidationResult.Secure;
        if (nsec3s.Count > 0)
        {
            var proof = new Nsec3Denial(nsec3s).ProveNoCloserMatch(owner, rrsigLabels);
            if (proof == DenialResult.Proven)
                return ValidationResult.Secure;
            if (proof == DenialResult.Insecure)
                return ValidationResult.Insecure("NSEC3 iterations above 100 (RFC 9276)");
        }
        return ValidationResult.Bogus(ExtendedErrorCode.NsecMissing, $"wildcard answer for {owner} without proof that no closer name exists");
    }
}
