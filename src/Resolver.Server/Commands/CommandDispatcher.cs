using Resolver.Server.Hosting;

namespace Resolver.Server.Commands;

/// <summary>
/// Picks what the executable does from its first argument: a known subcommand runs on its own (no host, no
/// listeners); <c>serve</c>, or options alone, run the server. To add a command, implement
/// <see cref="ISubcommand"/> and list it in <see cref="Subcommands"/>.
/// </summary>
public static class CommandDispatcher
{
    /// <summary>Every subcommand besides <c>serve</c>. Add <c>query</c>, <c>ahosts</c>, ... here.</summary>
    public static IReadOnlyList<ISubcommand> Subcommands { get; } = [new QueryCommand(), .. GetentCommand.All, new NameInfoCommand(), new ControlCommand()];

    public const string ServeCommand = "serve";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return ResolverHost.RunAsync(args, output, error, configure: null, cancellationToken);
        }

        if (args[0] == ServeCommand)
        {
            return ResolverHost.RunAsync(args[1..], output, error, configure: null, cancellationToken);
        }

        foreach (ISubcommand command in Subcommands)
        {
            if (command.Name == args[0])
            {
                return command.RunAsync(args[1..], output, error, cancellationToken);
            }
        }

        error.WriteLine($"resolver: unknown command '{args[0]}'; commands: {CommandNames()} (or options alone to serve; see --help)");
        return Task.FromResult(ExitCodes.Usage);
    }

    private static string CommandNames()
    {
        var names = new List<string> { ServeCommand };
        foreach (ISubcommand command in Subcommands)
        {
            names.Add(command.Name);
        }

        return string.Join(", ", names);
    }
}
