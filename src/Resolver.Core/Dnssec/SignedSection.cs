using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// The records of a message section grouped into RRsets (owner ignoring case, type, class) with
/// the RRSIGs that cover each, as RFC 4035 §5.3 checks them one RRset at a time.
/// </summary>
public sealed class SignedSection
{
    private readonly List<SignedRrset> _rrsets = [];

    public SignedSection(IEnumerable<DnsRecord> records)
    {
        var signatures = new List<DnsRecord>();
        foreach (var record in records)
        {
            if (record.Type == RecordType.OPT)
                continue;
            if (record.Type == RecordType.RRSIG)
            {
                signatures.Add(record);
                continue;
            }
            var set = Find(record.Name, record.Type);
            if (set is null)
            {
                set = new SignedRrset(record.Name, record.Type);
                _rrsets.Add(set);
            }
            set.Records.Add(record);
        }
        foreach (var signature in signatures)
        {
            if (signature.Data is RrsigRecordData rrsig && Find(signature.Name, rrsig.TypeCovered) is { } set)
                set.Signatures.Add(rrsig);
        }
    }

    public IReadOnlyList<SignedRrset> Rrsets => _rrsets;

    public SignedRrset? Find(DnsName owner, RecordType type)
    {
        foreach (var set in _rrsets)
        {
            if (set.Type == type && set.Owner == owner)
                return set;
        }
        return null;
    }

    public SignedRrset? FindType(RecordType type)
    {
        foreach (var set in _rrsets)
        {
            if (set.Type == type)
                return set;
        }
        return null;
    }
}

/// <summary>One RRset and the RRSIGs at its owner that cover its type.</summary>
public sealed class SignedRrset(DnsName owner, RecordType type)
{
    public DnsName Owner { get; } = owner;

    public RecordType Type { get; } = type;

    public List<DnsRecord> Records { get; } = [];

    public List<RrsigRecordData> Signatures { get; } = [];

    /// <summary>The zone the signatures claim (the first RRSIG's signer), or null when unsigned.</summary>
    public DnsName? Signer => Signatures.Count > 0 ? Signatures[0].SignerName : null;

    public uint MinimumTtl
    {
        get
        {
            uint ttl = uint.MaxValue;
            foreach (var record in Records)
                ttl = Math.Min(ttl, record.Ttl);
            return ttl;
        }
    }
}
