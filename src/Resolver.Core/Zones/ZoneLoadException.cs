namespace Resolver.Core.Zones;

/// <summary>
/// A zone file that cannot be served. The message names the file and, where there is one, the
/// line, as compilers do ("zones/example.zone:7: CNAME at www.example. ..."), so editors and
/// log searches can jump to it. The loader turns it into a <see cref="ZoneFileRejection"/>: one
/// bad file never stops the others.
/// </summary>
public sealed class ZoneLoadException : Exception
{
    public ZoneLoadException(string message) : base(message)
    {
        Problem = message;
    }

    public ZoneLoadException(string message, Exception inner) : base(message, inner)
    {
        Problem = message;
    }

    public ZoneLoadException(string file, int line, string problem, Exception? inner = null)
        : base(Locate(file, line, problem), inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file at fault (the zone file, or the $INCLUDEd file holding the line), when known.</summary>
    public string? File { get; }

    /// <summary>The line at fault (1-based), 0 when the problem belongs to the whole file.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Problem { get; }

    /// <summary>"file:line: problem", or "file: problem" for a whole file.</summary>
    public static string Locate(string file, int line, string problem) =>
        line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}";
}
