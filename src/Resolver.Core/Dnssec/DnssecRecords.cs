using Resolver.Protocol;

namespace Resolver.Core.Dnssec;

/// <summary>RFC 4035 §3.2.1: a response to a query without DO carries no RRSIG, NSEC or NSEC3 unless the query asked for that type.</summary>
public static class DnssecRecords
{
    public static void Strip(DnsMessage message, RecordType asked)
    {
        Strip(message.Answers, asked);
        Strip(message.Authorities, asked);
        Strip(message.Additionals, asked);
    }

    private static void Strip(List<DnsRecord> records, RecordType asked) =>
        records.RemoveAll(record => record.Type != asked && record.Type is RecordType.RRSIG or RecordType.NSEC or RecordType.NSEC3);
}
