using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// Resolver:Metrics:Listen serves every instrument in the Prometheus text format: after real queries the counters
/// have moved by exactly what those queries did, the names follow Prometheus conventions, the runtime's GC and
/// process metrics are there, and promtool accepts the scrape.
/// </summary>
public sealed class MetricsEndpointTests : ResolverFixture
{
    [Test]
    public async Task Scrape_after_real_queries_shows_each_counter_moved_by_what_the_queries_did()
    {
        var (resolver, metrics) = await StartWithMetricsAsync();
        await using var _ = resolver;
        using var http = new HttpClient();
        var before = Parse(await http.GetStringAsync(metrics));

        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);      // miss: forwarded, NOERROR
        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);      // hit, NOERROR
        await resolver.AskUdpAsync("missing.fwd.test.", RecordType.A);  // miss: forwarded, NXDOMAIN
        var after = Parse(await http.GetStringAsync(metrics));

        double Moved(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
        string upstream = Upstream.Address;
        Assert.Multiple(() =>
        {
            Assert.That(Moved("resolver_cache_hits_total"), Is.EqualTo(1), Dump(after));
            Assert.That(Moved("resolver_cache_misses_total"), Is.EqualTo(2), Dump(after));
            Assert.That(Moved("resolver_queries_total{rcode=\"NOERROR\",transport=\"udp\"}"), Is.EqualTo(2), Dump(after));
            Assert.That(Moved("resolver_queries_total{rcode=\"NXDOMAIN\",transport=\"udp\"}"), Is.EqualTo(1), Dump(after));
            Assert.That(Moved($"resolver_upstream_rtt_seconds_count{{upstream=\"{upstream}\"}}"), Is.EqualTo(2), Dump(after));
            Assert.That(after.GetValueOrDefault("resolver_cache_entries"), Is.GreaterThanOrEqualTo(2), Dump(after));
            Assert.That(after.Keys.Any(series => series.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal)), Is.True, "GC metrics");
            Assert.That(after.Keys.Any(series => series.StartsWith("dotnet_process_cpu_time_seconds_total", StringComparison.Ordinal)), Is.True, "process metrics");
        });
    }

    [Test]
    public async Task Every_metric_the_shipped_dashboard_plots_is_in_a_scrape()
    {
        Upstream.On("broken.fwd.test.", new NameBehaviour { Rcode = DnsResponseCode.ServFail });
        var (resolver, metrics) = await StartWithMetricsAsync();
        await using var _ = resolver;
        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);
        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);
        await resolver.AskUdpAsync("broken.fwd.test.", RecordType.A);
        await RawDns.ExchangeUdpAsync(resolver.Udp, [1, 2, 3], TimeSpan.FromMilliseconds(300)); // too short: dropped
        using var http = new HttpClient();
        var names = Parse(await http.GetStringAsync(metrics)).Keys.Select(series => series.Split('{')[0]).ToHashSet();

        string dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "monitoring", "grafana-dashboard.json"));
        var plotted = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b((?:resolver|dotnet)_[a-z_]+)\{")
            .Select(match => match.Groups[1].Value).ToHashSet();

        Assert.That(plotted, Has.Count.GreaterThan(5), "the dashboard's expressions were found");
        Assert.That(plotted.Where(name => !names.Contains(name)), Is.Empty, "plotted but not exported; exported: " + string.Join(" ", names.Order()));
    }

    [Test]
    public async Task Promtool_accepts_the_scrape()
    {
        string promtool = RequiredTool.Find("promtool", "prometheus");
        var (resolver, metrics) = await StartWithMetricsAsync();
        await using var _ = resolver;
        await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);
        using var http = new HttpClient();
        string scrape = await http.GetStringAsync(metrics);

        var start = new ProcessStartInfo(promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(scrape);
        process.StandardInput.Close();
        string findings = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, findings + "\n" + scrape);
    }

    [Test]
    public async Task Without_the_setting_no_metrics_endpoint_is_opened()
    {
        await using var without = await StartResolverAsync();
        var (with, _) = await StartWithMetricsAsync();
        await using var __ = with;

        Assert.Multiple(() =>
        {
            // The exporter's listener lives in the meter provider: none is built unless asked for.
            Assert.That(without.Services.GetService<OpenTelemetry.Metrics.MeterProvider>(), Is.Null);
            Assert.That(with.Services.GetService<OpenTelemetry.Metrics.MeterProvider>(), Is.Not.Null);
        });
    }

    private async Task<(ResolverUnderTest Resolver, Uri Metrics)> StartWithMetricsAsync()
    {
        int port = FreeTcpPort();
        var resolver = await StartResolverAsync(("Metrics:Listen", $"127.0.0.1:{port}"));
        return (resolver, new Uri($"http://127.0.0.1:{port}/metrics"));
    }

    /// <summary>A port nothing listens on now (HttpListener cannot bind port 0 and report it).</summary>
    private static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The samples of a text exposition: "name{labels}" to value (comments and timestamps left out).</summary>
    private static Dictionary<string, double> Parse(string exposition)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            int split = line.LastIndexOf('}') is var brace and >= 0 ? line.IndexOf(' ', brace) : line.IndexOf(' ');
            string[] rest = line[(split + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string series = line[..split];
            // A series without labels may be written name{} or name.
            samples[series.EndsWith("{}", StringComparison.Ordinal) ? series[..^2] : series] = double.Parse(rest[0], CultureInfo.InvariantCulture);
        }
        return samples;
    }

    private static string Dump(Dictionary<string, double> samples) =>
        string.Join("\n", samples.Where(s => s.Key.StartsWith("resolver_", StringComparison.Ordinal)).Select(s => $"{s.Key} {s.Value}"));
}
