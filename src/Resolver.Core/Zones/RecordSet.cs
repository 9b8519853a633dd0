using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// The records of one owner name and one type (an RRset, RFC 2181 §5), in the order the zone
/// file wrote them, owner names and data exactly as written.
/// </summary>
public sealed class RecordSet(RecordType type, DnsRecord[] records)
{
    public RecordType Type { get; } = type;

    public IReadOnlyList<DnsRecord> Records => _records;

    private readonly DnsRecord[] _records = records;

    /// <summary>Appends the records to <paramref name="section"/> (no LINQ, no copies of the records).</summary>
    internal void AddTo(List<DnsRecord> section)
    {
        foreach (var record in _records)
            section.Add(record);
    }

    /// <summary>
    /// Appends the records with their owner replaced by <paramref name="owner"/>: a wildcard
    /// answer carries the query name, never the '*' name (RFC 4592 §3.3.1, RFC 1034 §4.3.3).
    /// </summary>
    internal void AddTo(List<DnsRecord> section, DnsName owner)
    {
        foreach (var record in _records)
            section.Add(record with { Name = owner });
    }
}
