using Resolver.NameService;

namespace Resolver.Server.Commands;

/// <summary><c>resolver nameinfo ADDR [PORT]</c>: getnameinfo's host and service for an address.</summary>
public sealed class NameInfoCommand : ISubcommand
{
    public string Name => "nameinfo";

    public string Summary => "print getnameinfo's host and service for ADDR [PORT]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        NameServiceArguments arguments;
        try
        {
            arguments = NameServiceArguments.Parse(args);
            if (arguments.Keys.Count is < 1 or > 2)
                throw new FormatException("give an address and optionally a port");
        }
        catch (FormatException e)
        {
            error.WriteLine($"resolver nameinfo: {e.Message}");
            error.WriteLine($"usage: resolver nameinfo {NameServiceArguments.OptionsUsage} ADDR [PORT]");
            return GetentOutput.Usage;
        }
        var keys = arguments.Keys;
        var printed = await new GetentPrinter(arguments.Sources())
            .PrintNameInfoAsync(keys[0], keys.Count > 1 ? keys[1] : null, cancellationToken: cancellationToken).ConfigureAwait(false);
        output.Write(printed.Text);
        error.Write(printed.Error);
        return printed.ExitCode;
    }
}
