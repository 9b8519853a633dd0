using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 5155 §8 with NSEC3: the closest encloser proof (§8.3: a matching NSEC3 for the closest
/// encloser and a covering one for the next closer name), NXDOMAIN (§8.4: plus a covering NSEC3
/// for the wildcard at the closest encloser), NODATA (§8.5, §8.6 DS with opt-out, §8.7 wildcard),
/// and the wildcard answer's next closer name (§8.8). An unknown hash algorithm or more than
/// <see cref="Nsec3Hash.MaxIterations"/> iterations make the answer insecure (RFC 5155 §8.1, RFC 9276 §3.2).
/// Every record given must already have verified.
/// </summary>
public sealed class Nsec3Denial
{
    private readonly List<(byte[] Hash, DnsName Zone, Nsec3RecordData Data)> _records = [];
    private readonly Dictionary<DnsName, byte[]> _hashes = [];
    private readonly Nsec3RecordData? _parameters;

    public Nsec3Denial(IReadOnlyList<ProvenRecord<Nsec3RecordData>> nsec3s)
    {
        foreach (var record in nsec3s)
        {
            var hash = Nsec3Hash.FromOwner(record.Owner);
            if (hash is null || record.Data.HashAlgorithm != Nsec3Hash.Sha1)
                continue;
            _parameters ??= record.Data;
            // §8.2: only records with the parameters of the zone's chain take part.
            if (record.Data.Iterations != _parameters.Iterations || !record.Data.Salt.AsSpan().SequenceEqual(_parameters.Salt))
                continue;
            _records.Add((hash, record.Owner.Parent(), record.Data));
        }
        TooCostly = _parameters is { Iterations: > Nsec3Hash.MaxIterations };
    }

    /// <summary>True when there is no usable NSEC3 record at all.</summary>
    public bool IsEmpty => _records.Count == 0;

    /// <summary>RFC 9276 §3.2: the chain uses more iterations than we compute; the answer is insecure.</summary>
    public bool TooCostly { get; }

    public DenialResult ProveNameError(DnsName name)
    {
        if (Guard() is { } early)
            return early;
        if (!TryClosestEncloser(name, out var encloser, out bool optOut))
            return DenialResult.NotProven;
        if (Find(DnsName.Parse("*").Append(encloser), covering: true) is null)
            return DenialResult.NotProven;
        return optOut ? DenialResult.Insecure : DenialResult.Proven;
    }

    public DenialResult ProveNoData(DnsName name, RecordType type)
    {
        if (Guard() is { } early)
            return early;
        if (Find(name, covering: false) is { } match)
            return LacksType(match.Data.Types, type) ? DenialResult.Proven : DenialResult.NotProven;
        if (!TryClosestEncloser(name, out var encloser, out bool optOut))
            return DenialResult.NotProven;
        // §8.6: a DS query below an opt-out span: an unsigned delegation may be there, insecure.
        if (type == RecordType.DS && optOut)
            return DenialResult.Insecure;
        // §8.7: wildcard NODATA.
        if (Find(DnsName.Parse("*").Append(encloser), covering: false) is { } wildcard && LacksType(wildcard.Data.Types, type))
            return DenialResult.Proven;
        return DenialResult.NotProven;
    }

    /// <summary>§8.8: the next closer name of a wildcard answer (one label below the wildcard's parent) is covered.</summary>
    public DenialResult ProveNoCloserMatch(DnsName name, int rrsigLabels)
    {
        if (Guard() is { } early)
            return early;
        var nextCloser = name;
        while (nextCloser.LabelCount > rrsigLabels + 1)
            nextCloser = nextCloser.Parent();
        return Find(nextCloser, covering: true) is null ? DenialResult.NotProven : DenialResult.Proven;
    }

    private DenialResult? Guard() => TooCostly ? DenialResult.Insecure : IsEmpty ? DenialResult.NotProven : null;

    /// <summary>§8.3: walks up from the name until an ancestor matches; the name one label below it must be covered.</summary>
    private bool TryClosestEncloser(DnsName name, out DnsName encloser, out bool optOut)
    {
        optOut = false;
        var nextCloser = name;
        encloser = name;
        while (!encloser.IsRoot)
        {
            nextCloser = encloser;
            encloser = encloser.Parent();
            if (Find(encloser, covering: false) is null)
                continue;
            if (Find(nextCloser, covering: true) is not { } cover)
                return false;
            optOut = cover.Data.OptOut;
            return true;
        }
        return false;
    }

    private (byte[] Hash, DnsName Zone, Nsec3RecordData Data)? Find(DnsName name, bool covering)
    {
        foreach (var record in _records)
        {
            if (!name.IsSubdomainOf(record.Zone))
                continue;
            var hash = HashOf(name);
            if (covering ? Covers(record.Hash, record.Data.NextHashedOwner, hash) : hash.AsSpan().SequenceEqual(record.Hash))
                return record;
        }
        return null;
    }

    private byte[] HashOf(DnsName name)
    {
        if (!_hashes.TryGetValue(name, out var hash))
            _hashes[name] = hash = Nsec3Hash.Compute(name, _parameters!.Salt, _parameters.Iterations);
        return hash;
    }

    // Hash order, wrapping at the end of the chain (the last NSEC3's next hash is the first's).
    private static bool Covers(byte[] owner, byte[] next, byte[] hash)
    {
        int ownerToNext = owner.AsSpan().SequenceCompareTo(next);
        int ownerToHash = owner.AsSpan().SequenceCompareTo(hash);
        int hashToNext = hash.AsSpan().SequenceCompareTo(next);
        return ownerToNext < 0 ? ownerToHash < 0 && hashToNext < 0 : ownerToHash < 0 || hashToNext < 0;
    }

    private static bool LacksType(TypeBitmap types, RecordType type)
    {
        if (types.Contains(type) || types.Contains(RecordType.CNAME))
            return false;
        return type == RecordType.DS || !types.Contains(RecordType.NS) || types.Contains(RecordType.SOA);
    }
}
