namespace Resolver.Protocol;

/// <summary>
/// The one exception the codec throws for malformed input: it says what is wrong and at which
/// offset of the message (or column of the text) it was found.
/// </summary>
public sealed class DnsFormatException : Exception
{
    public DnsFormatException(string problem, int offset)
        : base($"{problem} at offset {offset}")
    {
        Problem = problem;
        Offset = offset;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }

    /// <summary>Byte offset in the message (or character offset in text) where the problem was found.</summary>
    public int Offset { get; }
}
