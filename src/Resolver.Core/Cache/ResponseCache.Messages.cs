using Resolver.Protocol;

namespace Resolver.Core.Cache;

public sealed partial class ResponseCache
{
    /// <summary>
    /// A fresh cached answer as a message (miss path only: it parses the wire bytes), or null.
    /// The DNSSEC validator reads the DS and DNSKEY answers of the chain through this.
    /// </summary>
    public DnsMessage? TryGetMessage(CacheKey key)
    {
        if (!_cache.TryGetValue(key, out var value) || value is not CachedResponse entry
            || entry.Kind == CachedResponseKind.ServerFailure || _time.GetTimestamp() >= entry.FreshUntil)
            return null;
        return DnsMessage.Parse(entry.Wire);
    }
}
