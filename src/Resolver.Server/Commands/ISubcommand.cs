namespace Resolver.Server.Commands;

/// <summary>
/// A command of the <c>resolver</c> executable other than serving, e.g. <c>resolver query example.com A</c> or
/// <c>resolver ahosts example.com</c>. Chosen by the first argument before any host is built.
/// </summary>
public interface ISubcommand
{
    /// <summary>The first argument that selects this command.</summary>
    string Name { get; }

    /// <summary>One line for the list of commands.</summary>
    string Summary { get; }

    /// <summary>Runs with the arguments after the name; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken);
}
