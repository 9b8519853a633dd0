using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Keeps only what an upstream answer may tell us about the question (Unbound's scrubber,
/// RFC 2181 §5.4.1 and §6): answer records must belong to the CNAME chain that starts at the
/// query name; the authority section keeps only the SOA (and, for DO, its NSEC/NSEC3/RRSIG)
/// of a negative answer's zone, and for a wildcard expansion the NSEC/NSEC3 that prove it, never
/// the NS of a referral; the additional section keeps only
/// addresses of names the kept answer points to (MX exchange, NS host). The result has no
/// OPT (the client's OPT is ours to write), AA cleared, and the question as asked upstream.
/// </summary>
public static class ResponseScrubber
{
    // CNAME chains longer than this are broken or hostile (Unbound follows at most 8 .. 11).
    private const int MaxChainLength = 16;

    public static DnsMessage Scrub(DnsMessage response, DnsQuestion question)
    {
        var result = new DnsMessage
        {
            IsResponse = true,
            RecursionAvailable = true,
            AuthenticData = response.AuthenticData,
            ResponseCode = response.ResponseCode,
        };
        result.Questions.Add(question);
        var chain = KeepAnswerChain(response.Answers, question, result.Answers);
        if (Cache.TtlPolicy.IsNegative(result))
            KeepNegativeProof(response.Authorities, chain[^1], result.Authorities);
        else
            KeepWildcardProof(response.Authorities, result.Answers, result.Authorities);
        KeepRelatedAddresses(response.Additionals, result.Answers, result.Additionals);
        return result;
    }

    /// <summary>Adds the in-chain answer records to <paramref name="kept"/> in their original order; returns the chain of names.</summary>
    private static List<DnsName> KeepAnswerChain(List<DnsRecord> answers, DnsQuestion question, List<DnsRecord> kept)
    {
        var chain = new List<DnsName> { question.Name };
        var keep = new bool[answers.Count];
        var decided = new bool[answers.Count];
        bool grew = true;
        // The chain may come in any order: pass again while a CNAME extends it.
        for (int pass = 0; grew && pass < MaxChainLength; pass++)
        {
            grew = false;
            for (int i = 0; i < answers.Count; i++)
            {
                if (decided[i])
                    continue;
                var record = answers[i];
                if (record.Class != question.Class)
                {
                    decided[i] = true;
                    continue;
                }
                if (record.Type == RecordType.DNAME && IsBelowAnyInChain(chain, record.Name))
                {
                    keep[i] = decided[i] = true; // RFC 6672: the DNAME that synthesized a CNAME in our chain
                    continue;
                }
                if (!chain.Contains(record.Name))
                    continue; // may join the chain in a later pass
                decided[i] = true;
                if (record.Type == RecordType.CNAME && question.Type != RecordType.CNAME && record.Data is NameRecordData cname)
                {
                    keep[i] = true;
                    if (!chain.Contains(cname.Target) && chain.Count < MaxChainLength)
                    {
                        chain.Add(cname.Target);
                        grew = true;
                    }
                }
                else
                {
                    keep[i] = record.Type == question.Type || question.Type == RecordType.ANY || record.Type == RecordType.RRSIG;
                }
            }
        }
        for (int i = 0; i < answers.Count; i++)
        {
            if (keep[i])
                kept.Add(answers[i]);
        }
        return chain;
    }

    private static bool IsBelowAnyInChain(List<DnsName> chain, DnsName owner)
    {
        foreach (var name in chain)
        {
            if (name.LabelCount > owner.LabelCount && name.IsSubdomainOf(owner))
                return true;
        }
        return false;
    }

    // RFC 2308 §5: the SOA of the zone the (last) name is in; NSEC/NSEC3/RRSIG of that zone prove the denial (RFC 4035 §3.1.3).
    private static void KeepNegativeProof(List<DnsRecord> authorities, DnsName lastName, List<DnsRecord> kept)
    {
        DnsName? zone = null;
        foreach (var record in authorities)
        {
            if (record.Type == RecordType.SOA && lastName.IsSubdomainOf(record.Name))
            {
                zone = record.Name;
                kept.Add(record);
                break;
            }
        }
        if (zone is null)
            return;
        foreach (var record in authorities)
        {
            if (record.Type is RecordType.NSEC or RecordType.NSEC3 or RecordType.RRSIG && record.Name.IsSubdomainOf(zone))
                kept.Add(record);
        }
    }

    // RFC 4035 §3.1.3.3: an answer expanded from a wildcard (its RRSIG has fewer labels than its owner) comes with the
    // NSEC/NSEC3 proving no closer name exists; a DO client validating for itself needs them as much as we do.
    // Only those of the zone that signed the expansion, with their own RRSIGs. (For a DO=0 client the forwarder
    // strips every DNSSEC record before caching, so only DO clients see them.)
    private static void KeepWildcardProof(List<DnsRecord> authorities, List<DnsRecord> answers, List<DnsRecord> kept)
    {
        DnsName? signer = null;
        foreach (var record in answers)
        {
            if (record.Data is RrsigRecordData rrsig && rrsig.Labels < Dnssec.CanonicalForm.CountLabels(record.Name))
            {
                signer = rrsig.SignerName;
                break;
            }
        }
        if (signer is null)
            return;
        foreach (var record in authorities)
        {
            bool proof = record.Type is RecordType.NSEC or RecordType.NSEC3
                || record.Data is RrsigRecordData { TypeCovered: RecordType.NSEC or RecordType.NSEC3 };
            if (proof && record.Name.IsSubdomainOf(signer))
                kept.Add(record);
        }
    }

    private static void KeepRelatedAddresses(List<DnsRecord> additionals, List<DnsRecord> answers, List<DnsRecord> kept)
    {
        foreach (var record in additionals)
        {
            if (record.Type is not (RecordType.A or RecordType.AAAA))
                continue;
            foreach (var answer in answers)
            {
                var target = answer.Data switch
                {
                    MxRecordData mx => mx.Exchange,
                    NameRecordData { Type: RecordType.NS } ns => ns.Target,
                    _ => null,
                };
                if (target is not null && target == record.Name)
                {
                    kept.Add(record);
                    break;
                }
            }
        }
    }
}
