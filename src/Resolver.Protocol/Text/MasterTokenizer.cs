using System.Text;

namespace Resolver.Protocol.Text;

/// <summary>
/// Splits master-file text into entries (RFC 1035 §5.1): tokens separated by blanks, ";"
/// comments to the end of the line, "( ... )" joining lines, quoted strings. Escapes stay in
/// the token text ("\;" does not start a comment, "\"" does not end a string). A quote inside a
/// token (SVCB's <c>alpn="h2,h3"</c>) keeps its quotes and may hold blanks.
/// </summary>
public static class MasterTokenizer
{
    public static IReadOnlyList<MasterEntry> Tokenize(string text, string fileName)
    {
        var entries = new List<MasterEntry>();
        var tokens = new List<MasterToken>();
        var scan = new Scan(text, fileName);
        int depth = 0;
        int entryLine = 1;
        bool startsWithBlank = false;
        int lineStart = 0;
        while (scan.Index < text.Length)
        {
            char c = text[scan.Index];
            switch (c)
            {
                case '\n':
                    scan.Index++;
                    scan.Line++;
                    lineStart = scan.Index;
                    if (depth == 0 && tokens.Count > 0)
                    {
                        entries.Add(new MasterEntry(entryLine, startsWithBlank, tokens));
                        tokens = [];
                    }
                    break;
                case ' ' or '\t' or '\r':
                    scan.Index++;
                    break;
                case ';':
                    while (scan.Index < text.Length && text[scan.Index] != '\n')
                        scan.Index++;
                    break;
                case '(':
                    depth++;
                    scan.Index++;
                    break;
                case ')':
                    if (depth == 0)
                        throw scan.Error("')' without '('");
                    depth--;
                    scan.Index++;
                    break;
                default:
                    if (tokens.Count == 0)
                    {
                        entryLine = scan.Line;
                        startsWithBlank = depth == 0 && lineStart < text.Length && text[lineStart] is ' ' or '\t';
                    }
                    tokens.Add(c == '"' ? scan.ReadQuoted() : scan.ReadPlain());
                    break;
            }
        }
        if (depth > 0)
            throw scan.Error("'(' is never closed");
        if (tokens.Count > 0)
            entries.Add(new MasterEntry(entryLine, startsWithBlank, tokens));
        return entries;
    }

    /// <summary>Tokens of one line of RDATA text (comments and parentheses allowed, the line must be complete).</summary>
    public static IReadOnlyList<MasterToken> TokenizeLine(string text)
    {
        var entries = Tokenize(text.Replace('\n', ' '), "text");
        return entries.Count == 0 ? [] : entries[0].Tokens;
    }

    private struct Scan(string text, string fileName)
    {
        public int Index;
        public int Line = 1;

        public MasterToken ReadQuoted()
        {
            var builder = new StringBuilder();
            Index++;
            ReadUntilQuote(builder);
            return new MasterToken(builder.ToString(), true);
        }

        public MasterToken ReadPlain()
        {
            var builder = new StringBuilder();
            while (Index < text.Length)
            {
                char c = text[Index];
                if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')')
                    break;
                if (c == '\\')
                {
                    AppendEscape(builder);
                    continue;
                }
                builder.Append(c);
                Index++;
                if (c == '"')
                {
                    ReadUntilQuote(builder);
                    builder.Append('"');
                }
            }
            return new MasterToken(builder.ToString(), false);
        }

        /// <summary>Reads up to and past the closing quote, which is not appended.</summary>
        private void ReadUntilQuote(StringBuilder builder)
        {
            while (true)
            {
                if (Index >= text.Length || text[Index] == '\n')
                    throw Error("quoted string is not closed on its line");
                char c = text[Index];
                if (c == '"')
                {
                    Index++;
                    return;
                }
                if (c == '\\')
                {
                    AppendEscape(builder);
                    continue;
                }
                builder.Append(c);
                Index++;
            }
        }

        // The escape stays in the text for the field's parser; only the character after the
        // backslash loses its special meaning here.
        private void AppendEscape(StringBuilder builder)
        {
            if (Index + 1 >= text.Length || text[Index + 1] == '\n')
                throw Error("backslash at the end of a line");
            builder.Append('\\').Append(text[Index + 1]);
            Index += 2;
        }

        public readonly DnsFormatException Error(string problem) => new($"{fileName} line {Line}: {problem}", Line);
    }
}
