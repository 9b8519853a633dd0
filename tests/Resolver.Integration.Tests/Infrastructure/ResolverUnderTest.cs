using System.Net;
using System.Text.Json;
using DnsClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Forwarding;
using Resolver.Protocol;
using Resolver.Server.Hosting;
using Resolver.Server.Options;
using Resolver.Server.Transport;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// The real resolver host, in-process on 127.0.0.1 with a system-chosen port, configured the way an
/// operator would: command-line options (--listen, --upstream, --zones) and a --config JSON file
/// for everything else. Settings are given as paths under <c>Resolver</c>, e.g.
/// <c>("Forwarder:OverallDeadline", "00:00:01")</c> or <c>("AccessControl:Rules:0", "127.0.0.0/8 refuse")</c>.
/// </summary>
public sealed class ResolverUnderTest : IAsyncDisposable
{
    private readonly string _configFile;

    private ResolverUnderTest(IHost host, CapturedLogs logs, string configFile)
    {
        Host = host;
        Logs = logs;
        _configFile = configFile;
        var endpoints = host.Services.GetRequiredService<ListenerEndpoints>();
        Udp = endpoints.Udp[0];
        Tcp = endpoints.Tcp[0];
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public CapturedLogs Logs { get; }

    /// <summary>Where the UDP sockets listen (the TCP listener shares the port).</summary>
    public IPEndPoint Udp { get; }

    public IPEndPoint Tcp { get; }

    /// <summary>Starts the host. With no upstreams the shipped public upstreams are removed too: tests never leave loopback.</summary>
    public static Task<ResolverUnderTest> StartAsync(string? zonesDirectory, IReadOnlyList<string> upstreams, params (string Key, string Value)[] settings) =>
        StartOnAsync("127.0.0.1:0", zonesDirectory, upstreams, settings);

    /// <summary>As <see cref="StartAsync(string?, IReadOnlyList{string}, ValueTuple{string, string}[])"/>, listening on <paramref name="listen"/>.</summary>
    public static Task<ResolverUnderTest> StartOnAsync(string listen, string? zonesDirectory, IReadOnlyList<string> upstreams, params (string Key, string Value)[] settings) =>
        StartOnAsync(listen, zonesDirectory, upstreams, clock: null, settings);

    /// <summary>As above, with <paramref name="clock"/> (when given) as the host's clock: the cache's expiry and the forwarder's timers.</summary>
    public static async Task<ResolverUnderTest> StartOnAsync(string listen, string? zonesDirectory, IReadOnlyList<string> upstreams, TimeProvider? clock,
        params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--listen", listen };
        foreach (string upstream in upstreams)
            args.AddRange(["--upstream", upstream]);
        if (zonesDirectory is not null)
            args.AddRange(["--zones", zonesDirectory]);
        string configFile = WriteConfig(settings);
        args.AddRange(["--config", configFile]);

        var logs = new CapturedLogs();
        IHost host = ResolverHost.Build([.. args], services =>
        {
            services.AddLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
            });
            services.PostConfigure<ResolverOptions>(options =>
            {
                options.Udp.ReceiveLoopsPerAddress = 2;
                if (upstreams.Count == 0)
                    options.Upstreams = [];
            });
            if (upstreams.Count == 0)
                services.PostConfigure<ForwarderOptions>(options => options.Upstreams = []);
            if (clock is not null)
                services.AddSingleton(clock);
        });
        try
        {
            AssertLoopbackOnly(host.Services.GetRequiredService<IOptions<ForwarderOptions>>().Value);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            File.Delete(configFile);
            TestContext.Out.WriteLine(logs.ToString());
            throw;
        }
        return new ResolverUnderTest(host, logs, configFile);
    }

    public static Task<ResolverUnderTest> StartAsync(string? zonesDirectory, UpstreamZone upstream, params (string Key, string Value)[] settings) =>
        StartAsync(zonesDirectory, [upstream.Address], settings);

    /// <summary>A DnsClient resolver aimed at this host: no client cache, no retries unless asked, a short timeout.</summary>
    public LookupClient Client(TimeSpan? timeout = null, int retries = 0, bool edns = true, bool tcpOnly = false, bool tcpFallback = true) =>
        new(new LookupClientOptions(new NameServer(Udp))
        {
            UseCache = false,
            Retries = retries,
            Timeout = timeout ?? TimeSpan.FromSeconds(3),
            ThrowDnsErrors = false,
            UseTcpOnly = tcpOnly,
            UseTcpFallback = tcpFallback,
            ExtendedDnsBufferSize = edns ? 1232 : 512,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

    public Task<DnsMessage> AskUdpAsync(DnsMessage query, TimeSpan? wait = null) => RawDns.AskUdpAsync(Udp, query, wait);

    public Task<DnsMessage> AskTcpAsync(DnsMessage query, TimeSpan? wait = null) => RawDns.AskTcpAsync(Tcp, query, wait);

    public Task<DnsMessage> AskUdpAsync(string name, RecordType type, bool edns = false) => AskUdpAsync(RawDns.Query(name, type, edns));

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Host.StopAsync(timeout.Token);
        }
        finally
        {
            Host.Dispose();
            File.Delete(_configFile);
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
                TestContext.Out.WriteLine("resolver log:" + Environment.NewLine + Logs);
        }
    }

    /// <summary>Writes the settings as a JSON file under "Resolver" (paths split on ':').</summary>
    private static string WriteConfig((string Key, string Value)[] settings)
    {
        var root = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            var node = root;
            string[] parts = key.Split(':');
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child))
                    node[parts[i]] = child = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                node = (Dictionary<string, object>)child;
            }
            node[parts[^1]] = value;
        }
        string file = Path.Combine(Path.GetTempPath(), "resolver-int-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, object> { ["Resolver"] = root }));
        return file;
    }

    private static void AssertLoopbackOnly(ForwarderOptions forwarder)
    {
        var all = new List<string>(forwarder.Upstreams);
        foreach (var list in forwarder.DomainUpstreams.Values)
            all.AddRange(list);
        foreach (string upstream in all)
        {
            if (!EndpointText.TryParseUpstream(upstream, out var endpoint, out _) || !IPAddress.IsLoopback(endpoint.Address))
                throw new InvalidOperationException($"test resolver would forward to '{upstream}', which is not loopback");
        }
    }
}
