using Resolver.Protocol;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Core.Dnssec;

/// <summary>
/// Trust anchors (RFC 4035 §4.4): DS or DNSKEY records read from a master file, and negative
/// trust anchors (RFC 7646): names below which nothing is validated.
/// </summary>
public sealed class TrustAnchors
{
    private readonly Dictionary<DnsName, List<DnsRecord>> _anchors = [];
    private readonly List<DnsName> _negative = [];

    public TrustAnchors(IEnumerable<DnsRecord> anchors, IEnumerable<DnsName>? negative = null)
    {
        foreach (var record in anchors)
        {
            if (record.Type is not (RecordType.DS or RecordType.DNSKEY))
                continue;
            if (!_anchors.TryGetValue(record.Name, out var list))
                _anchors[record.Name] = list = [];
            list.Add(record);
        }
        if (negative is not null)
            _negative.AddRange(negative);
    }

    /// <summary>Reads DS/DNSKEY records in master-file form; a file with neither is an error.</summary>
    /// <exception cref="InvalidDataException">The file has no DS or DNSKEY record, or is malformed.</exception>
    public static TrustAnchors Load(string path, IEnumerable<DnsName>? negative = null)
    {
        IReadOnlyList<DnsRecord> records;
        try
        {
            records = MasterFileReader.Read(File.ReadAllText(path), path, DnsName.Root, defaultTtl: 0);
        }
        catch (DnsFormatException e)
        {
            throw new InvalidDataException($"trust anchor file {path}: {e.Message}", e);
        }
        var anchors = new TrustAnchors(records, negative);
        if (anchors._anchors.Count == 0)
            throw new InvalidDataException($"trust anchor file {path}: no DS or DNSKEY record");
        return anchors;
    }

    public int Count => _anchors.Count;

    /// <summary>The anchored zone closest above (or at) <paramref name="name"/>, or null.</summary>
    public DnsName? Closest(DnsName name)
    {
        DnsName? best = null;
        foreach (var zone in _anchors.Keys)
        {
            if (name.IsSubdomainOf(zone) && (best is null || zone.LabelCount > best.LabelCount))
                best = zone;
        }
        return best;
    }

    public IReadOnlyList<DnsRecord> For(DnsName zone) => _anchors.TryGetValue(zone, out var list) ? list : [];

    public bool IsNegative(DnsName name)
    {
        foreach (var zone in _negative)
        {
            if (name.IsSubdomainOf(zone))
                return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="key"/> is named by an anchor of <paramref name="zone"/> (its DS digest, or the key itself).</summary>
    public bool Trusts(DnsName zone, DnskeyRecordData key)
    {
        foreach (var anchor in For(zone))
        {
            if (anchor.Data is DsRecordData ds && DsDigest.Matches(ds, zone, key))
                return true;
            if (anchor.Data is DnskeyRecordData trusted && trusted.Equals(key))
                return true;
        }
        return false;
    }
}
