using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// Checks the authority section of a negative answer (RFC 4035 §5.4): every NSEC/NSEC3 RRset
/// must verify with the zone's keys, then they must prove NXDOMAIN or NODATA for the name.
/// Missing or unprovable denial is bogus with EDE 12 (NSEC Missing).
/// </summary>
public static class DenialProof
{
    public readonly record struct Outcome(ValidationResult Result, bool IsDelegation);

    public static Outcome Check(DnsMessage response, DnsName name, RecordType type, ZoneSecurity zone, DateTimeOffset now, TimeSpan skew)
    {
        var authority = new SignedSection(response.Authorities);
        var nsecs = new List<ProvenRecord<NsecRecordData>>();
        var nsec3s = new List<ProvenRecord<Nsec3RecordData>>();
        foreach (var rrset in authority.Rrsets)
        {
            if (rrset.Type is not (RecordType.NSEC or RecordType.NSEC3 or RecordType.SOA))
                continue;
            var check = RrsetVerifier.Verify(rrset.Records, rrset.Signatures, zone.Zone, zone.Keys, now, skew, out _);
            if (check.IsBogus)
                return new(check, false);
            foreach (var record in rrset.Records)
            {
                if (record.Data is NsecRecordData nsec)
                    nsecs.Add(new(record.Name, nsec));
                else if (record.Data is Nsec3RecordData nsec3)
                    nsec3s.Add(new(record.Name, nsec3));
            }
        }
        bool nameError = response.ResponseCode == DnsResponseCode.NXDomain;
        if (nsecs.Count > 0)
        {
            var proven = nameError ? NsecDenial.ProveNameError(nsecs, name) : NsecDenial.ProveNoData(nsecs, name, type);
            if (proven == DenialResult.Proven)
                return new(ValidationResult.Secure, !nameError && IsDelegationNsec(nsecs, name));
        }
        if (nsec3s.Count > 0)
        {
            var denial = new Nsec3Denial(nsec3s);
            var proven = nameError ? denial.ProveNameError(name) : denial.ProveNoData(name, type);
            if (proven == DenialResult.Insecure)
                return new(ValidationResult.Insecure(denial.TooCostly ? "NSEC3 iterations above 100 (RFC 9276)" : "NSEC3 opt-out span"), true);
            if (proven == DenialResult.Proven)
                return new(ValidationResult.Secure, !nameError && IsDelegationNsec3(nsec3s, name));
        }
        string what = nameError ? "NXDOMAIN" : "NODATA";
        return new(ValidationResult.Bogus(ExtendedErrorCode.NsecMissing, $"no NSEC/NSEC3 proves {what} for {name} {type}"), false);
    }

    /// <summary>The NSEC at the name is a delegation (NS without SOA): the parent's side of a zone cut.</summary>
    private static bool IsDelegationNsec(List<ProvenRecord<NsecRecordData>> nsecs, DnsName name)
    {
        foreach (var nsec in nsecs)
        {
            if (nsec.Owner == name)
                return nsec.Data.Types.Contains(RecordType.NS) && !nsec.Data.Types.Contains(RecordType.SOA);
        }
        return false;
    }

    private static bool IsDelegationNsec3(List<ProvenRecord<Nsec3RecordData>> nsec3s, DnsName name)
    {
        var hash = nsec3s.Count > 0 ? Nsec3Hash.Compute(name, nsec3s[0].Data.Salt, nsec3s[0].Data.Iterations) : null;
        foreach (var nsec3 in nsec3s)
        {
            if (hash is not null && Nsec3Hash.FromOwner(nsec3.Owner) is { } owner && owner.AsSpan().SequenceEqual(hash))
                return nsec3.Data.Types.Contains(RecordType.NS) && !nsec3.Data.Types.Contains(RecordType.SOA);
        }
        return false;
    }
}
