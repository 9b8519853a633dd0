using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Pipeline;
using Resolver.Server.Commands;
using Resolver.Server.Hosting;
using Resolver.Server.Options;
using Resolver.Server.Tests.Transport;
using Resolver.Server.Transport;
using Resolver.Server.Transport.Tcp;
using Resolver.TestKit.Waiting;

namespace Resolver.Server.Tests.Hosting;

public class ResolverHostTests
{
    [Test]
    public void Shipped_appsettings_are_read_from_the_executable_folder()
    {
        using IHost host = ResolverHost.Build([]);

        ResolverOptions options = Settings(host);

        Assert.That(options.Listen, Is.EqualTo(new[] { "127.0.0.1:53", "[::1]:53" }));
        Assert.That(options.Upstreams, Is.Not.Empty);
        Assert.That(options.ZonesDirectory, Is.EqualTo(Path.Combine(AppContext.BaseDirectory, "zones")));
    }

    [Test]
    public void Repeated_listen_options_replace_the_configured_list()
    {
        using IHost host = ResolverHost.Build(["--listen", "127.0.0.1:5353", "--listen", "[::1]:5353"]);

        Assert.That(Settings(host).Listen, Is.EqualTo(new[] { "127.0.0.1:5353", "[::1]:5353" }));
    }

    [Test]
    public void One_listen_option_leaves_no_configured_address_behind()
    {
        using IHost host = ResolverHost.Build(["--listen=127.0.0.1:5353"]);

        Assert.That(Settings(host).Listen, Is.EqualTo(new[] { "127.0.0.1:5353" }));
    }

    [Test]
    public void Upstream_option_replaces_the_configured_upstreams()
    {
        using IHost host = ResolverHost.Build(["--upstream", "127.0.0.1:5300"]);

        Assert.That(Settings(host).Upstreams, Is.EqualTo(new[] { "127.0.0.1:5300" }));
    }

    [Test]
    public void Zones_option_is_taken_from_the_current_directory()
    {
        using IHost host = ResolverHost.Build(["--zones", "my-zones"]);

        Assert.That(Settings(host).ZonesDirectory, Is.EqualTo(Path.GetFullPath("my-zones")));
    }

    [Test]
    public void Metrics_option_sets_where_the_metrics_endpoint_listens()
    {
        using IHost host = ResolverHost.Build(["--metrics", "127.0.0.1:9153"]);

        Assert.That(Settings(host).Metrics.Listen, Is.EqualTo("127.0.0.1:9153"));
    }

    [Test]
    public async Task Metrics_address_that_is_not_addr_port_stops_the_service_with_a_line_naming_it()
    {
        var (code, error) = await RunAsync(["--listen", "127.0.0.1:0", "--metrics", "localhost"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Config));
        Assert.That(error, Does.Contain("Resolver:Metrics:Listen: 'localhost' is not ADDR:PORT"));
    }

    [Test]
    public void Config_file_settings_override_appsettings()
    {
        string file = Path.Combine(Path.GetTempPath(), $"resolver-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Resolver": { "Tcp": { "IdleTimeoutMs": 1234 }, "Upstreams": [ "127.0.0.9" ] } }""");
        try
        {
            using IHost host = ResolverHost.Build(["--config", file]);

            Assert.That(Settings(host).Tcp.IdleTimeoutMs, Is.EqualTo(1234));
            Assert.That(Settings(host).Upstreams[0], Is.EqualTo("127.0.0.9"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Environment_variables_set_settings()
    {
        Environment.SetEnvironmentVariable("Resolver__Tcp__MaxConnections", "7");
        try
        {
            using IHost host = ResolverHost.Build([]);

            Assert.That(Settings(host).Tcp.MaxConnections, Is.EqualTo(7));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Resolver__Tcp__MaxConnections", null);
        }
    }

    [TestCase("--bogus", "unknown option '--bogus'")]
    [TestCase("--listen", "--listen needs a value (ADDR:PORT)")]
    [TestCase("--config", "--config needs a value (FILE)")]
    public async Task Bad_command_line_is_refused_with_one_line(string arg, string expected)
    {
        var (code, error) = await RunAsync([arg]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.StartWith("resolver: ").And.Contains(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
    }

    [Test]
    public async Task Serve_help_prints_the_options_and_exits_with_zero()
    {
        var output = new StringWriter();

        int code = await CommandDispatcher.RunAsync(["serve", "--help"], output, TextWriter.Null);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output.ToString(), Does.Contain("--listen ADDR:PORT").And.Contain("--upstream UPSTREAM").And.Contain("tls://ADDR[:PORT][#NAME]").And.Contain("--listen-tls ADDR:PORT"));
    }

    [Test]
    public async Task Unknown_command_is_refused()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await CommandDispatcher.RunAsync(["frobnicate"], output, error);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error.ToString(), Does.StartWith("resolver: unknown command 'frobnicate'"));
    }

    [Test]
    public async Task Invalid_setting_stops_the_service_with_a_line_naming_it()
    {
        var (code, error) = await RunAsync(["--listen", "127.0.0.1:99999"]);

        Assert.That(code, Is.EqualTo(ExitCodes.Config));
        Assert.That(error.TrimEnd(), Is.EqualTo(
            "resolver: Resolver:Listen[0]: '127.0.0.1:99999' is not ADDR:PORT (port must be 1-65535, or 0 for any free port)"));
    }

    [Test]
    public async Task Setting_of_the_wrong_type_stops_the_service_with_a_line_naming_it()
    {
        Environment.SetEnvironmentVariable("Resolver__Tcp__IdleTimeoutMs", "soon");
        try
        {
            var (code, error) = await RunAsync(["--listen", "127.0.0.1:0"]);

            Assert.That(code, Is.EqualTo(ExitCodes.Config));
            Assert.That(error, Does.Contain("Resolver:Tcp:IdleTimeoutMs"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Resolver__Tcp__IdleTimeoutMs", null);
        }
    }

    [Test]
    public async Task Shared_cache_enabled_without_a_Redis_stops_the_service_with_a_line_naming_it()
    {
        Environment.SetEnvironmentVariable("Resolver__SharedCache__Enabled", "true");
        try
        {
            var (code, error) = await RunAsync(["--listen", "127.0.0.1:0"]);

            Assert.That(code, Is.EqualTo(ExitCodes.Config));
            Assert.That(error, Does.Contain("Resolver:SharedCache:Redis must name the Redis server"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Resolver__SharedCache__Enabled", null);
        }
    }

    [Test]
    public async Task Udp_port_in_use_stops_the_service_with_why_and_what_to_do()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var (code, error) = await RunAsync(["--listen", $"127.0.0.1:{port}"]);

        Assert.That(code, Is.EqualTo(ExitCodes.CannotListen));
        Assert.That(error.TrimEnd(), Is.EqualTo(
            $"resolver: cannot listen on 127.0.0.1:{port}: address already in use (udp) — another DNS server " +
            "(e.g. systemd-resolved, dnsmasq) may hold it; stop it or pass --listen 127.0.0.1:5353"));
    }

    [Test]
    public async Task Tcp_port_in_use_stops_the_service_and_releases_the_udp_port()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var (code, error) = await RunAsync(["--listen", $"127.0.0.1:{port}"]);

        Assert.That(code, Is.EqualTo(ExitCodes.CannotListen));
        Assert.That(error, Does.Contain($"cannot listen on 127.0.0.1:{port}: address already in use (tcp)"));
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.That(() => udp.Bind(new IPEndPoint(IPAddress.Loopback, port)), Throws.Nothing, "the UDP socket was left bound");
    }

    [Test]
    public async Task Second_resolver_on_the_same_port_stops_instead_of_sharing_it()
    {
        // Both with several SO_REUSEPORT sockets: the kernel would let the second join the first's group and
        // split the clients between two servers.
        await using TestServer first = await TestServer.StartAsync(new GatedHandler(), options => options.Udp.ReceiveLoopsPerAddress = 2);
        Environment.SetEnvironmentVariable("Resolver__Udp__ReceiveLoopsPerAddress", "2");
        try
        {
            var (code, error) = await RunAsync(["--listen", $"127.0.0.1:{first.Udp.Port}"]);

            Assert.That(code, Is.EqualTo(ExitCodes.CannotListen));
            Assert.That(error, Does.Contain($"cannot listen on 127.0.0.1:{first.Udp.Port}: address already in use (udp)"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Resolver__Udp__ReceiveLoopsPerAddress", null);
        }
    }

    [Test]
    public void Tcp_listener_cannot_share_a_port_with_another_listener()
    {
        using Socket first = TcpAcceptLoop.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)first.LocalEndPoint!;

        var refused = Assert.Throws<ListenerBindException>(() => TcpAcceptLoop.Listen(taken).Dispose());

        Assert.That(refused!.Error, Is.EqualTo(SocketError.AddressAlreadyInUse));
    }

    [Test]
    public void Bind_failure_messages_say_what_to_do()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, 53);

        Assert.That(ListenerBindException.Describe(endpoint, "udp", SocketError.AccessDenied), Is.EqualTo(
            "cannot listen on 127.0.0.1:53: permission denied — port 53 needs root or CAP_NET_BIND_SERVICE; or pass --listen 127.0.0.1:5353"));
        Assert.That(ListenerBindException.Describe(new IPEndPoint(IPAddress.IPv6Loopback, 5353), "udp", SocketError.AddressAlreadyInUse),
            Does.EndWith("pass --listen [::1]:5354"));
    }

    [Test]
    public async Task Stop_lets_a_query_in_flight_answer_and_exits_with_zero()
    {
        var handler = new GatedHandler();
        GatedHandler.Gate slow = handler.Hold(0x0001);
        var endpoints = new ListenerEndpoints();
        using var stop = new CancellationTokenSource();
        Task<int> run = ResolverHost.RunAsync(["--listen", "127.0.0.1:0"], TextWriter.Null, TextWriter.Null, services =>
        {
            services.AddSingleton<IQueryHandler>(handler);
            services.AddSingleton(endpoints);
            services.AddLogging(logging => logging.AddFilter(null, LogLevel.Warning));
        }, stop.Token);
        IPEndPoint server = await WaitForListenerAsync(endpoints, run);
        using var client = new UdpClientSocket(server);
        await client.SendAsync(TestMessages.Query(0x0001));
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        stop.Cancel();
        await Task.Delay(100);
        slow.Release();
        byte[] answer = await client.ReceiveRequiredAsync();
        int code = await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.That(TestMessages.IdOf(answer), Is.EqualTo(0x0001), "the query in flight was not answered during the stop");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
    }

    private static ResolverOptions Settings(IHost host) => host.Services.GetRequiredService<IOptions<ResolverOptions>>().Value;

    private static async Task<(int Code, string Error)> RunAsync(string[] args)
    {
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int code = await ResolverHost.RunAsync(args, TextWriter.Null, error, services =>
            services.AddLogging(logging => logging.AddFilter(null, LogLevel.Warning)), timeout.Token);
        return (code, error.ToString());
    }

    private static async Task<IPEndPoint> WaitForListenerAsync(ListenerEndpoints endpoints, Task<int> run)
    {
        await Eventually.TrueWithinAsync(() => endpoints.Udp.Count > 0 || run.IsCompleted, TimeSpan.FromSeconds(10));
        Assert.That(run.IsCompleted && endpoints.Udp.Count == 0, Is.False, "the server stopped before listening");

        Assert.That(endpoints.Udp, Is.Not.Empty, "the server did not start listening within 10 s");
        return endpoints.Udp[0];
    }
}
