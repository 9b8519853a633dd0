using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Server.Commands;
using Resolver.Server.Options;
using Resolver.Server.Transport;

namespace Resolver.Server.Hosting;

/// <summary>
/// Builds and runs the DNS service on the generic host. <see cref="Build"/> is what tests use to run the real
/// host in-process (bind port 0, read <see cref="ListenerEndpoints"/>, replace the handler via <c>configure</c>);
/// <see cref="RunAsync"/> is the whole service: build, start, serve until Ctrl-C/SIGTERM, and turn every startup
/// failure into one line on stderr and a non-zero exit code.
/// </summary>
public static class ResolverHost
{
    /// <summary>
    /// Builds the host. Configuration, lowest to highest precedence: appsettings.json and appsettings.{Environment}.json
    /// from the executable's folder, environment variables (<c>Resolver__Section__Key</c>), <c>--config FILE</c>, then
    /// the command-line options. <paramref name="configure"/> runs last: register an <c>IQueryHandler</c> there to
    /// replace the stand-in. Throws <see cref="CommandLineException"/> for a bad command line.
    /// </summary>
    public static IHost Build(string[] args, Action<IServiceCollection>? configure = null) =>
        Build(ServerArguments.Parse(args), configure);

    internal static IHost Build(ServerArguments arguments, Action<IServiceCollection>? configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // Our own command-line mapping replaces the generic one (which would not replace lists).
            Args = null,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (arguments.ConfigFile is not null)
        {
            builder.Configuration.AddJsonFile(arguments.ConfigFile, optional: false, reloadOnChange: false);
        }

        builder.Configuration.Sources.Add(new ArgumentsConfigurationSource(arguments));
        builder.Services.AddResolverServer(builder.Configuration);
        builder.Services.AddQueryPipeline(builder.Configuration);
        MetricsEndpoint.AddIfConfigured(builder.Services, builder.Configuration);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // Output that goes to the journal carries journald's priority prefix (<6>, <4>, ...) instead of ANSI colours.
        // systemd sets JOURNAL_STREAM for a service whose stdout or stderr is connected to the journal
        // (systemd.exec(5)), which is the question here; the library's own check asks whether the parent is systemd.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) || SystemdHelpers.IsSystemdService())
        {
            builder.Logging.AddSystemdConsole();
        }

        // A failed start is reported by RunAsync as one line; the host's own stack-trace dump would bury it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Runs the service until it is asked to stop (Ctrl-C, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        IHost host;
        try
        {
            ServerArguments arguments = ServerArguments.Parse(args);
            if (arguments.ShowHelp)
            {
                output.WriteLine(ServerArguments.Usage);
                return ExitCodes.Ok;
            }

            host = Build(arguments, configure);
        }
        catch (CommandLineException e)
        {
            error.WriteLine($"resolver: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (InvalidDataException e)
        {
            // A settings file that is not valid JSON.
            error.WriteLine($"resolver: {e.Message} {e.InnerException?.Message}");
            return ExitCodes.Config;
        }

        using (host)
        {
            int? failed = await StartAsync(host, error, cancellationToken).ConfigureAwait(false);
            if (failed is not null)
            {
                return failed.Value;
            }

            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    /// <summary>Starts the host; on failure writes why and returns the exit code, otherwise null.</summary>
    private static async Task<int?> StartAsync(IHost host, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            int? code = ExplainStartFailure(e, error);
            if (code is null)
            {
                throw;
            }

            return code;
        }
    }

    private static int? ExplainStartFailure(Exception e, TextWriter error)
    {
        switch (e)
        {
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                int? code = null;
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    code ??= ExplainStartFailure(inner, error);
                }

                return code;
            case OptionsValidationException validation:
                foreach (string failure in validation.Failures)
                {
                    error.WriteLine($"resolver: {failure}");
                }

                return ExitCodes.Config;
            case ListenerBindException bind:
                error.WriteLine($"resolver: {bind.Message}");
                return ExitCodes.CannotListen;
            case InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                // The binder names the key: "Failed to convert configuration value at 'Resolver:Tcp:IdleTimeoutMs' to type 'System.Int32'."
                error.WriteLine($"resolver: {binding.Message}");
                return ExitCodes.Config;
            default:
                return null;
        }
    }
}
