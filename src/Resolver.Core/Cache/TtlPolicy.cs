using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Cache;

/// <summary>
/// How long an answer may be kept: record TTLs clamped to [MinTtl, MaxTtl], the SOA of a
/// negative answer set to min(SOA TTL, SOA MINIMUM) capped at MaxNegativeTtl (RFC 2308 §5),
/// and the entry living as long as its shortest record.
/// </summary>
public sealed class TtlPolicy(CacheOptions options)
{
    /// <summary>
    /// Rewrites the TTLs of <paramref name="answer"/> in place (so the first client sees what the
    /// cache will later serve) and returns the entry TTL in seconds; 0 means "do not cache".
    /// </summary>
    public uint Apply(DnsMessage answer)
    {
        bool negative = IsNegative(answer);
        uint entryTtl = uint.MaxValue;
        ClampSection(answer.Answers, negative, ref entryTtl);
        ClampSection(answer.Authorities, negative, ref entryTtl);
        // Additional records ride along with the answer but do not decide how long it lives.
        ClampSection(answer.Additionals, negative, ref entryTtl, decides: false);
        if (entryTtl == uint.MaxValue)
            return 0; // no records at all: RFC 2308 §5, a negative answer without SOA is not cached
        if (negative && !HasSoa(answer))
            return 0;
        return entryTtl;
    }

    /// <summary>NXDOMAIN, or NOERROR without an answer of the asked type (NODATA, RFC 2308 §2.2).</summary>
    public static bool IsNegative(DnsMessage answer)
    {
        if (answer.ResponseCode == DnsResponseCode.NXDomain)
            return true;
        var question = answer.Question;
        if (question is null)
            return answer.Answers.Count == 0;
        foreach (var record in answer.Answers)
        {
            if (record.Type == question.Type || question.Type == RecordType.ANY)
                return false;
        }
        // A CNAME query answered by the CNAME itself is data, not NODATA.
        return !(question.Type == RecordType.CNAME && answer.Answers.Count > 0);
    }

    private void ClampSection(List<DnsRecord> records, bool negative, ref uint entryTtl, bool decides = true)
    {
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            uint ttl = record.Ttl;
            if (negative && record.Data is SoaRecordData soa)
                ttl = Math.Min(Math.Min(ttl, soa.Minimum), options.MaxNegativeTtl);
            ttl = Math.Clamp(ttl, options.MinTtl, options.MaxTtl);
            if (ttl != record.Ttl)
                records[i] = record.WithTtl(ttl);
            if (decides)
                entryTtl = Math.Min(entryTtl, ttl);
        }
    }

    private static bool HasSoa(DnsMessage answer)
    {
        foreach (var record in answer.Authorities)
        {
            if (record.Type == RecordType.SOA)
                return true;
        }
        return false;
    }
}
