namespace Resolver.Protocol.Text;

/// <summary>
/// One token of master-file text (RFC 1035 §5.1). A quoted token comes without its quotes but
/// with its escapes (\X, \DDD) still in: the parser of the field decodes them.
/// </summary>
public readonly record struct MasterToken(string Text, bool Quoted)
{
    public static MasterToken Plain(string text) => new(text, false);

    public override string ToString() => Quoted ? "\"" + Text + "\"" : Text;
}
