using System.Collections.Concurrent;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Dnssec;

/// <summary>Fetches one RRset question through the forwarder (DO=1, CD=1; cached and coalesced there).</summary>
public delegate Task<DnsMessage?> DnssecFetch(DnsName name, RecordType type);

/// <summary>
/// RFC 4035 §5.1, §5.2: builds the chain from a trust anchor down to the zone of a name, one
/// DS question per label: a signed DS RRset makes the name a secure delegation whose DNSKEY set
/// must be signed by a key the DS names; a proven absence of DS at a delegation (NSEC with NS,
/// or NSEC3 opt-out) makes everything below insecure; a name that is no delegation is passed.
/// Each label's outcome is kept until its TTL (bogus ones for <see cref="DnssecOptions.BogusTtl"/>)
/// or until the response cache is flushed (its generation moves on: an operator who flushes after a
/// key rollover expects the keys fetched again, as Unbound's flush_zone drops its key cache), and
/// concurrent walks share one lookup per name.
/// </summary>
public sealed class ChainOfTrust
{
    // A name deeper than this many labels below its anchor is not walked further (bounded work per query).
    private const int MaxSteps = 24;

    private readonly TrustAnchors _anchors;
    private readonly DnssecOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<long> _cacheGeneration;
    private readonly ConcurrentDictionary<DnsName, (Task<ZoneSecurity> Step, long Generation)> _steps = new();

    /// <param name="cacheGeneration">The response cache's flush count (<c>ResponseCache.Generation</c>); null: never flushed.</param>
    public ChainOfTrust(TrustAnchors anchors, DnssecOptions options, TimeProvider time, Func<long>? cacheGeneration = null)
    {
        _anchors = anchors;
        _options = options;
        _time = time;
        _cacheGeneration = cacheGeneration ?? (static () => 0);
    }

    /// <summary>The security of the deepest zone that holds <paramref name="name"/> (null when no anchor covers it).</summary>
    public async Task<ZoneSecurity?> FindZoneAsync(DnsName name, DnssecFetch fetch)
    {
        var anchor = _anchors.Closest(name);
        if (anchor is null)
            return null;
        var current = await StepAsync(anchor, null, fetch).ConfigureAwait(false);
        int depth = anchor.LabelCount;
        for (int steps = 0; current.IsSecure && depth < name.LabelCount; steps++)
        {
            if (steps == MaxSteps)
                return ZoneSecurity.Other(current.Zone, ValidationResult.Bogus(ExtendedErrorCode.DnssecBogus, $"{name} is too deep below its trust anchor"), 0);
            depth++;
            var child = Ancestor(name, depth);
            var step = await StepAsync(child, current, fetch).ConfigureAwait(false);
            // A name that is not a zone cut keeps the parent's keys.
            if (step.IsSecure && step.Zone != child)
                continue;
            current = step;
        }
        return current;
    }

    private Task<ZoneSecurity> StepAsync(DnsName name, ZoneSecurity? parent, DnssecFetch fetch)
    {
        long now = _time.GetTimestamp();
        long generation = _cacheGeneration();
        if (_steps.TryGetValue(name, out var known) && known.Generation == generation
            && (!known.Step.IsCompleted || known.Step.Result.ExpiresAt > now))
            return known.Step;
        var task = parent is null ? AnchorAsync(name, fetch) : DelegationAsync(name, parent, fetch);
        _steps[name] = (task, generation);
        return task;
    }

    // The anchored zone: its DNSKEY set must be signed by a key the anchor names (RFC 4035 §5.1).
    private async Task<ZoneSecurity> AnchorAsync(DnsName zone, DnssecFetch fetch)
    {
        var response = await fetch(zone, RecordType.DNSKEY).ConfigureAwait(false);
        var trusted = new List<DnskeyRecordData>();
        var section = response is null ? null : new SignedSection(response.Answers);
        var keys = section?.Find(zone, RecordType.DNSKEY);
        if (keys is not null)
        {
            foreach (var record in keys.Records)
            {
                if (record.Data is DnskeyRecordData key && _anchors.Trusts(zone, key))
                    trusted.Add(key);
            }
        }
        if (trusted.Count == 0)
            return Bogus(zone, ExtendedErrorCode.DnskeyMissing, $"no DNSKEY of {zone} matches its trust anchor");
        return VerifyKeySet(zone, keys!, trusted);
    }

    private async Task<ZoneSecurity> DelegationAsync(DnsName name, ZoneSecurity parent, DnssecFetch fetch)
    {
        var response = await fetch(name, RecordType.DS).ConfigureAwait(false);
        if (response is null)
            return Bogus(name, ExtendedErrorCode.DnssecBogus, $"no answer for {name} DS");
        var answers = new SignedSection(response.Answers);
        if (answers.Find(name, RecordType.DS) is { } ds)
            return await SecureDelegationAsync(name, parent, ds, fetch).ConfigureAwait(false);
        // No DS: the parent must prove it (RFC 4035 §5.2); a delegation without DS is insecure.
        var denial = DenialProof.Check(response, name, RecordType.DS, parent, _time.GetUtcNow(), _options.ClockSkew);
        long expires = Expiry(response);
        if (denial.Result.IsBogus)
            return Bogus(name, denial.Result.Error!.Value, denial.Result.Reason!);
        if (denial.Result.State == ValidationState.Insecure || denial.IsDelegation)
            return ZoneSecurity.Other(name, ValidationResult.Insecure($"{name} is an unsigned delegation"), expires);
        // Not a zone cut: the parent zone goes on.
        return ZoneSecurity.Secure(parent.Zone, parent.Keys, Math.Min(expires, parent.ExpiresAt));
    }

    private async Task<ZoneSecurity> SecureDelegationAsync(DnsName zone, ZoneSecurity parent, SignedRrset ds, DnssecFetch fetch)
    {
        var check = RrsetVerifier.Verify(ds.Records, ds.Signatures, parent.Zone, parent.Keys, _time.GetUtcNow(), _options.ClockSkew, out _);
        if (check.IsBogus)
            return Bogus(zone, check.Error!.Value, check.Reason!);
        var usable = new List<DsRecordData>();
        foreach (var record in ds.Records)
        {
            if (record.Data is DsRecordData d && DnssecAlgorithm.IsSupported(d.Algorithm) && DnssecAlgorithm.IsSupportedDigest(d.DigestType))
                usable.Add(d);
        }
        // RFC 4035 §5.2: no DS with an algorithm we implement: treated as unsigned.
        if (usable.Count == 0)
            return ZoneSecurity.Other(zone, ValidationResult.Insecure($"{zone}: no DS with a supported algorithm and digest", ExtendedErrorCode.UnsupportedDnskeyAlgorithm), Expiry(ds));
        var response = await fetch(zone, RecordType.DNSKEY).ConfigureAwait(false);
        var keys = response is null ? null : new SignedSection(response.Answers).Find(zone, RecordType.DNSKEY);
        var matched = new List<DnskeyRecordData>();
        if (keys is not null)
        {
            foreach (var record in keys.Records)
            {
                if (record.Data is not DnskeyRecordData key)
                    continue;
                foreach (var d in usable)
                {
                    if (DsDigest.Matches(d, zone, key))
                    {
                        matched.Add(key);
                        break;
                    }
                }
            }
        }
        if (matched.Count == 0)
            return Bogus(zone, ExtendedErrorCode.DnskeyMissing, $"no DNSKEY of {zone} matches its DS");
        return VerifyKeySet(zone, keys!, matched);
    }

    // The DNSKEY RRset must be signed by one of the keys the DS or anchor names; then every key in it is a zone key.
    private ZoneSecurity VerifyKeySet(DnsName zone, SignedRrset keys, List<DnskeyRecordData> entryKeys)
    {
        var check = RrsetVerifier.Verify(keys.Records, keys.Signatures, zone, entryKeys, _time.GetUtcNow(), _options.ClockSkew, out _);
        if (check.IsBogus)
            return Bogus(zone, check.Error!.Value, check.Reason!);
        var all = new List<DnskeyRecordData>();
        foreach (var record in keys.Records)
        {
            if (record.Data is DnskeyRecordData key)
                all.Add(key);
        }
        return ZoneSecurity.Secure(zone, all, Expiry(keys));
    }

    private ZoneSecurity Bogus(DnsName zone, ExtendedErrorCode code, string reason) =>
        ZoneSecurity.Other(zone, ValidationResult.Bogus(code, reason), _time.GetTimestamp() + (long)(_options.BogusTtl.TotalSeconds * _time.TimestampFrequency));

    private long Expiry(SignedRrset rrset) => ExpiryAfter(rrset.MinimumTtl);

    private long Expiry(DnsMessage message)
    {
        uint ttl = uint.MaxValue;
        foreach (var record in message.Answers)
            ttl = Math.Min(ttl, record.Ttl);
        foreach (var record in message.Authorities)
            ttl = Math.Min(ttl, record.Ttl);
        return ExpiryAfter(ttl);
    }

    private long ExpiryAfter(uint ttl)
    {
        double seconds = Math.Clamp(ttl, 1, _options.MaxKeyTtl.TotalSeconds);
        return _time.GetTimestamp() + (long)(seconds * _time.TimestampFrequency);
    }

    private static DnsName Ancestor(DnsName name, int labels)
    {
        var result = name;
        while (result.LabelCount > labels)
            result = result.Parent();
        return result;
    }
}
