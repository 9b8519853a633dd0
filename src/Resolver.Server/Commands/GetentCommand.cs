using Resolver.NameService;

namespace Resolver.Server.Commands;

/// <summary>
/// <c>resolver ahosts|ahostsv4|ahostsv6|hosts KEY...</c>: prints exactly what <c>getent</c> prints
/// for the same database and keys (columns, spacing, order, exit code 2 when a key is not
/// found), resolving through Resolver's own getaddrinfo layer instead of glibc's.
/// </summary>
public sealed class GetentCommand(string name, GetentDatabase database) : ISubcommand
{
    public static IReadOnlyList<ISubcommand> All { get; } =
    [
        new GetentCommand("ahosts", GetentDatabase.AHosts),
        new GetentCommand("ahostsv4", GetentDatabase.AHostsV4),
        new GetentCommand("ahostsv6", GetentDatabase.AHostsV6),
        new GetentCommand("hosts", GetentDatabase.Hosts),
    ];

    public string Name => name;

    public string Summary => $"print what 'getent {name}' prints, through Resolver's getaddrinfo";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        NameServiceArguments arguments;
        try
        {
            arguments = NameServiceArguments.Parse(args);
        }
        catch (FormatException e)
        {
            error.WriteLine($"resolver {name}: {e.Message}");
            error.WriteLine($"usage: resolver {name} {NameServiceArguments.OptionsUsage} KEY...");
            return GetentOutput.Usage;
        }
        var printed = await new GetentPrinter(arguments.Sources()).PrintAsync(database, arguments.Keys, cancellationToken).ConfigureAwait(false);
        output.Write(printed.Text);
        error.Write(printed.Error);
        return printed.ExitCode;
    }
}
