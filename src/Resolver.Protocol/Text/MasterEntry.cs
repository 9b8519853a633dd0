namespace Resolver.Protocol.Text;

/// <summary>
/// One logical line of a master file: its tokens (parentheses already joined), the line it
/// starts on, and whether it starts with a blank (RFC 1035 §5.1: the owner is then the previous one).
/// </summary>
public sealed record MasterEntry(int Line, bool StartsWithBlank, IReadOnlyList<MasterToken> Tokens);
