namespace Resolver.Core.Zones;

/// <summary>
/// Decides which file serves each zone apex when files are read (again), and which zones a
/// broken file keeps serving. Rules:
/// <list type="bullet">
/// <item>A file that no longer loads keeps its last good version, if it had one.</item>
/// <item>Two files with the same apex: the file already serving it keeps it (so a new file cannot
/// take a zone over by sorting first); otherwise the first in ordinal file-name order wins. The
/// other file is rejected, and keeps its own last good version if that does not clash too.</item>
/// <item>A file that is gone serves nothing.</item>
/// </list>
/// </summary>
internal sealed class ZoneClaims
{
    private readonly Dictionary<byte[], Zone> _byApex = new(WireNameKey.Instance);
    private readonly Dictionary<string, Zone> _byFile = new(StringComparer.Ordinal);
    private readonly List<ZoneFileRejection> _rejected = [];
    private readonly List<string> _warnings = [];

    public static ZoneLoadResult Resolve(List<ZoneFileOutcome> outcomes, IReadOnlyDictionary<string, Zone>? previous)
    {
        var claims = new ZoneClaims();
        var later = new List<ZoneFileOutcome>(outcomes.Count);
        // First the files that serve (or, broken, still serve) the apex they served before.
        foreach (var outcome in outcomes)
        {
            var before = previous?.GetValueOrDefault(outcome.Name);
            var candidate = outcome.Zone ?? before;
            if (before is not null && candidate is not null && candidate.Apex.Equals(before.Apex))
                claims.Claim(outcome, candidate, before);
            else
                later.Add(outcome);
        }
        foreach (var outcome in later)
            claims.ClaimNew(outcome, previous?.GetValueOrDefault(outcome.Name));
        return claims.ToResult(outcomes);
    }

    // An incumbent: the previous result held no two files with one apex, so this cannot clash.
    private void Claim(ZoneFileOutcome outcome, Zone zone, Zone before)
    {
        Serve(outcome.Name, zone);
        if (outcome.Zone is null)
            _rejected.Add(new ZoneFileRejection(outcome.Shown, outcome.Error!, before));
        else
            _warnings.AddRange(outcome.Warnings);
    }

    private void ClaimNew(ZoneFileOutcome outcome, Zone? before)
    {
        if (outcome.Zone is null)
        {
            // Broken, and its last good version (if any) had another apex that now clashes or was
            // never there: nothing to serve from this file.
            _rejected.Add(new ZoneFileRejection(outcome.Shown, outcome.Error!, KeepIfFree(outcome.Name, before)));
            return;
        }
        if (_byApex.TryGetValue(outcome.Zone.Apex.Wire.ToArray(), out var holder))
        {
            string error = ZoneLoadException.Locate(outcome.Shown, 0,
                $"zone {outcome.Zone.Apex} is already served from {holder.Source}; a zone is read from one file only");
            _rejected.Add(new ZoneFileRejection(outcome.Shown, error, KeepIfFree(outcome.Name, before)));
            return;
        }
        Serve(outcome.Name, outcome.Zone);
        _warnings.AddRange(outcome.Warnings);
    }

    private Zone? KeepIfFree(string name, Zone? before)
    {
        if (before is null || _byApex.ContainsKey(before.Apex.Wire.ToArray()))
            return null;
        Serve(name, before);
        return before;
    }

    private void Serve(string name, Zone zone)
    {
        _byApex.Add(zone.Apex.Wire.ToArray(), zone);
        _byFile.Add(name, zone);
    }

    private ZoneLoadResult ToResult(List<ZoneFileOutcome> outcomes)
    {
        // Zones and rejections in file order, whatever order they were claimed in.
        var zones = new List<Zone>(_byFile.Count);
        foreach (var outcome in outcomes)
        {
            if (_byFile.TryGetValue(outcome.Name, out var zone))
                zones.Add(zone);
        }
        _rejected.Sort(static (a, b) => string.CompareOrdinal(a.File, b.File));
        _warnings.Sort(StringComparer.Ordinal);
        return new ZoneLoadResult(new ZoneSet(zones, _warnings), _byFile, _rejected);
    }
}
