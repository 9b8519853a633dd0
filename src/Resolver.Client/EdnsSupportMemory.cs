using System.Collections.Concurrent;
using System.Net;

namespace Resolver.Client;

/// <summary>
/// Servers that recently failed to handle EDNS, so their next queries go without OPT instead
/// of paying a failed round trip each time (RFC 6891 §6.2.2 lets a requestor remember this).
/// Entries expire so a fixed or replaced server gets EDNS again.
/// </summary>
internal sealed class EdnsSupportMemory(TimeProvider timeProvider, TimeSpan retention)
{
    /// <summary>Upstream lists are short; the cap only stops an unbounded set of servers from growing memory.</summary>
    private const int MaxServers = 4096;

    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _withoutEdnsUntil = new();

    public bool IsWithoutEdns(IPEndPoint server)
    {
        if (!_withoutEdnsUntil.TryGetValue(server, out var until))
            return false;
        if (timeProvider.GetUtcNow() < until)
            return true;
        _withoutEdnsUntil.TryRemove(new KeyValuePair<IPEndPoint, DateTimeOffset>(server, until));
        return false;
    }

    public void RememberWithoutEdns(IPEndPoint server)
    {
        var now = timeProvider.GetUtcNow();
        if (_withoutEdnsUntil.Count >= MaxServers)
            RemoveExpired(now);
        if (_withoutEdnsUntil.Count < MaxServers)
            _withoutEdnsUntil[server] = now + retention;
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var entry in _withoutEdnsUntil)
        {
            if (entry.Value <= now)
                _withoutEdnsUntil.TryRemove(entry);
        }
    }
}
