using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>A name's records while its zone is being built, with where each type was first seen.</summary>
internal sealed class PendingNode(DnsName name)
{
    private readonly List<(RecordType Type, List<DnsRecord> Records, string File, int Line)> _sets = [];

    public DnsName Name { get; } = name;

    public List<DnsRecord>? Find(RecordType type)
    {
        foreach (var set in _sets)
        {
            if (set.Type == type)
                return set.Records;
        }
        return null;
    }

    public void Add(DnsRecord record, string file, int line)
    {
        CheckCname(record, file, line);
        var records = Find(record.Type);
        if (records is null)
        {
            _sets.Add((record.Type, [record], file, line));
            return;
        }
        foreach (var existing in records)
        {
            // RFC 2181 §5: an RRset holds each record once; a repeated line adds nothing.
            if (existing.Data.Equals(record.Data))
                return;
        }
        if (record.Type == RecordType.CNAME)
            throw new ZoneLoadException(file, line, $"second CNAME at {Name}; a name is an alias of one name only (RFC 1034 §3.6.2)");
        if (record.Type == RecordType.DNAME)
            throw new ZoneLoadException(file, line, $"second DNAME at {Name}; a name redirects to one name only (RFC 6672 §2.4)");
        records.Add(record);
    }

    public ZoneNode ToNode(bool isApex)
    {
        var sets = new RecordSet[_sets.Count];
        for (int i = 0; i < sets.Length; i++)
            sets[i] = new RecordSet(_sets[i].Type, [.. _sets[i].Records]);
        return new ZoneNode(Name, sets, isApex);
    }

    // RFC 1034 §3.6.2 / RFC 2181 §10.1: a CNAME owner has no other data; DNSSEC's RRSIG and NSEC may sit beside it (RFC 4035 §2.5).
    private void CheckCname(DnsRecord record, string file, int line)
    {
        if (IsDnssec(record.Type))
            return;
        foreach (var set in _sets)
        {
            if (set.Type == record.Type || IsDnssec(set.Type))
                continue;
            if (set.Type == RecordType.CNAME || record.Type == RecordType.CNAME)
            {
                throw new ZoneLoadException(file, line,
                    $"{Protocol.Text.Mnemonics.TypeToText(record.Type)} at {record.Name} beside the {Protocol.Text.Mnemonics.TypeToText(set.Type)} of line {set.Line}: "
                    + "a CNAME cannot coexist with other data at the same name (RFC 1034 §3.6.2)");
            }
        }
    }

    private static bool IsDnssec(RecordType type) => type is RecordType.RRSIG or RecordType.NSEC;
}
