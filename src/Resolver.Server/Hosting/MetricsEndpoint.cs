using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Resolver.Server.Options;

namespace Resolver.Server.Hosting;

/// <summary>
/// The Prometheus text endpoint, when <c>Resolver:Metrics:Listen</c> is set: every instrument of the meters
/// Resolver.Server, Resolver.Core and Resolver.Client, and the runtime's own System.Runtime meter (GC, CPU, memory,
/// thread pool), through OpenTelemetry's Prometheus exporter on an HttpListener.
/// </summary>
/// <remarks>
/// Why OpenTelemetry's exporter rather than prometheus-net: the instruments are System.Diagnostics.Metrics ones,
/// and OpenTelemetry is the SDK for them (names, units and the <c>_total</c> suffix follow the OpenTelemetry to
/// Prometheus conventions; the same pipeline can later add OTLP). Its measurement path records into preallocated
/// points without allocating, so the cache hit stays at 0 bytes; the work of a scrape happens on the scrape.
/// The HttpListener form needs no ASP.NET Core in the process.
/// </remarks>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The meters exported (and, for the runtime, the one .NET itself publishes).</summary>
    public static readonly string[] Meters = ["Resolver.Server", "Resolver.Core", "Resolver.Client", "System.Runtime"];

    /// <summary>Registers the exporter when the setting is present and well-formed (the validator reports it otherwise).</summary>
    public static void AddIfConfigured(IServiceCollection services, IConfiguration configuration)
    {
        string? listen = configuration[$"{ResolverOptions.SectionName}:Metrics:Listen"];
        if (!TryParse(listen, out var endpoint))
            return;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // The runtime's gauges named *.count would read as histogram parts to Prometheus (promtool flags them).
            .AddView("dotnet.assembly.count", new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" })
            .AddView("dotnet.process.cpu.count", new MetricStreamConfiguration { Name = "dotnet.process.cpus" })
            .AddView("dotnet.thread_pool.thread.count", new MetricStreamConfiguration { Name = "dotnet.thread_pool.threads" })
            .AddView("dotnet.timer.count", new MetricStreamConfiguration { Name = "dotnet.timers" })
            .AddPrometheusHttpListener(options =>
            {
                options.Host = HostText(endpoint);
                options.Port = endpoint.Port;
                options.ScrapeEndpointPath = Path;
                // Each scrape reads the instruments afresh: Prometheus scrapes every few seconds at most, and a cached
                // reply would show a counter that has not moved yet.
                options.ScrapeResponseCacheDurationMilliseconds = 0;
                // Plain series (no otel_scope_* labels, no target_info): what dashboards and alerts select on.
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
            }));
    }

    /// <summary>ADDR:PORT with a port from 1 to 65535.</summary>
    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text) || !IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0)
            return false;
        endpoint = parsed;
        return true;
    }

    /// <summary>The host part of the listener's prefix: 127.0.0.1, or [::1] for IPv6.</summary>
    public static string HostText(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
}
