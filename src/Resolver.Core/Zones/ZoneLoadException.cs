namespace Resolver.Core.Zones;

/// <summary>
/// A zone file that cannot be served. The message names the file and, where there is one, the
/// line ("zones/example.zone line 7: CNAME at www.example. ..."), so the server can exit with it.
/// </summary>
public sealed class ZoneLoadException : Exception
{
    public ZoneLoadException(string message) : base(message)
    {
    }

    public ZoneLoadException(string message, Exception inner) : base(message, inner)
    {
    }

    public ZoneLoadException(string file, int line, string reason)
        : base(line > 0 ? $"{file} line {line}: {reason}" : $"{file}: {reason}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The zone file at fault, when known.</summary>
    public string? File { get; }

    /// <summary>The line at fault (1-based), 0 when the problem belongs to the whole file.</summary>
    public int Line { get; }
}
