namespace Resolver.Server.Options;

/// <summary>The Prometheus endpoint (configuration section Resolver:Metrics; <c>--metrics ADDR:PORT</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Where the text endpoint listens, as ADDR:PORT (<c>127.0.0.1:9153</c>, CoreDNS's port; IPv6 as
    /// <c>[::1]:9153</c>); path <c>/metrics</c>. Empty (the default): no endpoint. It serves whatever address it is
    /// given, so only an address chosen here makes it reachable from outside loopback.
    /// </summary>
    public string? Listen { get; set; }
}
