using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Resolver.Core.Pipeline;
using Resolver.Server.Hosting;
using Resolver.Server.Options;
using Resolver.Server.Transport;

namespace Resolver.Server.Tests;

/// <summary>The real host, in-process, on 127.0.0.1 with a system-chosen port and a test handler.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(IHost host)
    {
        Host = host;
        var endpoints = host.Services.GetRequiredService<ListenerEndpoints>();
        Udp = endpoints.Udp[0];
        Tcp = endpoints.Tcp[0];
    }

    public IHost Host { get; }

    public IPEndPoint Udp { get; }

    public IPEndPoint Tcp { get; }

    /// <param name="clock">The host's clock when given (TCP idle times follow it), else the system's.</param>
    public static async Task<TestServer> StartAsync(IQueryHandler handler, Action<ResolverOptions>? settings = null, string listen = "127.0.0.1:0",
        TimeProvider? clock = null)
    {
        IHost host = ResolverHost.Build(["--listen", listen, "--upstream", "127.0.0.1:5300"], services =>
        {
            services.AddSingleton(handler);
            if (clock is not null)
                services.AddSingleton(clock);
            services.AddLogging(logging => logging.AddFilter(null, LogLevel.Warning));
            services.PostConfigure<ResolverOptions>(options =>
            {
                // Two loops even on one core, so the reuseport path is exercised everywhere.
                options.Udp.ReceiveLoopsPerAddress = 2;
                settings?.Invoke(options);
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StartAsync(timeout.Token);
        return new TestServer(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Host.StopAsync(timeout.Token);
        Host.Dispose();
    }
}
