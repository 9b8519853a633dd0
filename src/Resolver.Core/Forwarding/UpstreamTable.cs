using Resolver.Client.Upstreams;
using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Forwarding;

/// <summary>
/// Which upstreams serve which names: the default list, and conditional forwarding where a
/// domain suffix has its own list (the longest matching suffix wins, as in Unbound's
/// forward-zone). An address listed in several places is one <see cref="UpstreamServer"/>,
/// so what is learnt about it is shared.
/// </summary>
public sealed class UpstreamTable
{
    private readonly Dictionary<DnsName, UpstreamServer[]> _bySuffix = [];
    private readonly UpstreamServer[] _default;

    public UpstreamTable(ForwarderOptions options, TimeProvider time)
    {
        SettingErrors.ThrowIfAny(options.Validate(), nameof(options));
        var servers = new Dictionary<UpstreamEndpoint, UpstreamServer>();
        _default = Resolve(options.Upstreams, servers, options, time);
        foreach (var (suffix, list) in options.DomainUpstreams)
            _bySuffix[DnsName.Parse(suffix.EndsWith('.') ? suffix : suffix + ".")] = Resolve(list, servers, options, time);
        All = [.. servers.Values];
    }

    /// <summary>True when names outside every conditional suffix have upstreams too.</summary>
    public bool HasDefault => _default.Length > 0;

    /// <summary>Every distinct upstream.</summary>
    public IReadOnlyList<UpstreamServer> All { get; }

    /// <summary>The upstreams for <paramref name="name"/>; empty when nothing is configured for it.</summary>
    public UpstreamServer[] Find(DnsName name)
    {
        if (_bySuffix.Count > 0)
        {
            // Walk from the name itself towards the root: the first suffix found is the longest.
            for (var candidate = name; ; candidate = candidate.Parent())
            {
                if (_bySuffix.TryGetValue(candidate, out var servers))
                    return servers;
                if (candidate.IsRoot)
                    break;
            }
        }
        return _default;
    }

    private static UpstreamServer[] Resolve(List<string> addresses, Dictionary<UpstreamEndpoint, UpstreamServer> servers, ForwarderOptions options, TimeProvider time)
    {
        var result = new List<UpstreamServer>(addresses.Count);
        foreach (var text in addresses)
        {
            var endpoint = UpstreamUri.Parse(text);
            if (!servers.TryGetValue(endpoint, out var server))
                servers[endpoint] = server = new UpstreamServer(endpoint, options, time);
            if (!result.Contains(server))
                result.Add(server);
        }
        return [.. result];
    }
}
