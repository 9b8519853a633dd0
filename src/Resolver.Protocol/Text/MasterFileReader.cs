using Resolver.Protocol.Records;

namespace Resolver.Protocol.Text;

/// <summary>
/// Reads a master (zone) file (RFC 1035 §5) into records: $ORIGIN, $TTL, $INCLUDE, "@",
/// relative names, omitted owner/TTL/class, TTL units, parentheses, comments, quoted strings and
/// "\#" generic RDATA. The codec does no I/O: $INCLUDE goes through the caller's resolver, which
/// returns the text of the named file (and decides which files may be read).
/// <para>
/// TTL of a record without one, as BIND does: the $TTL in force (RFC 2308 §4); else the last
/// explicit TTL (RFC 1035 §5.1); else, for an SOA, its MINIMUM (BIND's fallback); else an error.
/// A record without a class takes the previous record's class (IN at first).
/// </para>
/// </summary>
public static class MasterFileReader
{
    /// <summary>$INCLUDE nesting limit, so a file that includes itself fails instead of looping.</summary>
    public const int MaxIncludeDepth = 8;

    /// <param name="text">The file's text.</param>
    /// <param name="fileName">Used in error messages ("zone.zone line 12: ...").</param>
    /// <param name="origin">Initial origin, for "@" and relative names.</param>
    /// <param name="resolveInclude">Returns the text of an $INCLUDE file; null makes $INCLUDE an error.</param>
    /// <param name="defaultTtl">An initial $TTL; null means none until the file sets one.</param>
    /// <exception cref="DnsFormatException">Malformed text; the message names the file and line, <see cref="DnsFormatException.Offset"/> is the line.</exception>
    public static IReadOnlyList<DnsRecord> Read(
        string text, string fileName, DnsName origin, Func<string, string>? resolveInclude = null, uint? defaultTtl = null)
    {
        var positioned = ReadWithPositions(text, fileName, origin, resolveInclude, defaultTtl);
        var records = new DnsRecord[positioned.Count];
        for (int i = 0; i < records.Length; i++)
            records[i] = positioned[i].Record;
        return records;
    }

    /// <summary>
    /// The same as <see cref="Read"/>, with where each record was written: <c>File</c> is
    /// <paramref name="fileName"/>, or the $INCLUDE argument as written for a record of an included
    /// file; <c>Line</c> is the 1-based line its entry starts on. A zone loader can then name the
    /// line of a record that is well-formed but not acceptable (a second SOA, a CNAME beside data).
    /// </summary>
    /// <exception cref="DnsFormatException">As <see cref="Read"/>.</exception>
    public static IReadOnlyList<(DnsRecord Record, string File, int Line)> ReadWithPositions(
        string text, string fileName, DnsName origin, Func<string, string>? resolveInclude = null, uint? defaultTtl = null)
    {
        var state = new MasterFileState(resolveInclude) { DefaultTtl = defaultTtl };
        ReadFile(state, text, fileName, origin, depth: 0);
        return state.Records;
    }

    private static void ReadFile(MasterFileState state, string text, string fileName, DnsName origin, int depth)
    {
        var context = new FileContext(fileName, origin);
        foreach (var entry in MasterTokenizer.Tokenize(text, fileName))
        {
            var first = entry.Tokens[0];
            if (!entry.StartsWithBlank && !first.Quoted && first.Text.Equals("$INCLUDE", StringComparison.OrdinalIgnoreCase))
            {
                Include(state, context, entry, depth);
                continue;
            }
            try
            {
                if (!entry.StartsWithBlank && !first.Quoted && first.Text.StartsWith('$'))
                    ReadDirective(state, context, entry);
                else
                    state.Records.Add((ReadRecord(state, context, entry), fileName, entry.Line));
            }
            catch (DnsFormatException e)
            {
                throw new DnsFormatException($"{fileName} line {entry.Line}: {e.Problem}", entry.Line);
            }
        }
    }

    private static void ReadDirective(MasterFileState state, FileContext context, MasterEntry entry)
    {
        string directive = entry.Tokens[0].Text.ToUpperInvariant();
        if (directive is not ("$ORIGIN" or "$TTL"))
            throw new DnsFormatException($"unknown directive {entry.Tokens[0].Text}", 0);
        if (entry.Tokens.Count != 2)
            throw new DnsFormatException($"{directive} takes exactly one argument", 0);
        string argument = entry.Tokens[1].Text;
        if (directive == "$ORIGIN")
        {
            context.Origin = ParseName(argument, context.Origin, "$ORIGIN");
            return;
        }
        // RFC 2308 §4: $TTL sets the TTL of records that give none.
        if (!TtlText.TryParse(argument, out uint ttl))
            throw new DnsFormatException($"$TTL '{argument}' is not a TTL", 0);
        state.DefaultTtl = ttl;
    }

    // RFC 1035 §5.1: "$INCLUDE <file-name> [<domain-name>]"; the origin given applies to the
    // included file only, and the parent continues with its own origin (and owner, as BIND does).
    private static void Include(MasterFileState state, FileContext context, MasterEntry entry, int depth)
    {
        string Where(string problem) => $"{context.FileName} line {entry.Line}: {problem}";
        if (entry.Tokens.Count is < 2 or > 3)
            throw new DnsFormatException(Where("$INCLUDE takes a file name and an optional origin"), entry.Line);
        if (state.ResolveInclude is null)
            throw new DnsFormatException(Where("$INCLUDE is not allowed here"), entry.Line);
        if (depth >= MaxIncludeDepth)
            throw new DnsFormatException(Where($"$INCLUDE nested deeper than {MaxIncludeDepth}"), entry.Line);
        string path = entry.Tokens[1].Text;
        DnsName origin = context.Origin;
        string included;
        try
        {
            if (entry.Tokens.Count == 3)
                origin = ParseName(entry.Tokens[2].Text, context.Origin, "$INCLUDE origin");
            included = state.ResolveInclude(path);
        }
        catch (DnsFormatException e)
        {
            throw new DnsFormatException(Where(e.Problem), entry.Line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new DnsFormatException(Where($"cannot include '{path}': {e.Message}"), entry.Line);
        }
        ReadFile(state, included, path, origin, depth + 1);
    }

    private static DnsRecord ReadRecord(MasterFileState state, FileContext context, MasterEntry entry)
    {
        var tokens = entry.Tokens;
        int index = 0;
        DnsName owner;
        if (entry.StartsWithBlank)
        {
            owner = context.LastOwner ?? throw new DnsFormatException("record without an owner and no previous owner", 0);
        }
        else
        {
            owner = ParseName(tokens[0].Text, context.Origin, "owner");
            index = 1;
        }
        uint? ttl = null;
        RecordClass? recordClass = null;
        // RFC 1035 §5.1: TTL and class are both optional and may come in either order.
        for (int i = 0; i < 2 && index < tokens.Count && !tokens[index].Quoted; i++)
        {
            string text = tokens[index].Text;
            if (ttl is null && text.Length > 0 && char.IsAsciiDigit(text[0]))
                ttl = TtlText.TryParse(text, out uint value) ? value : throw new DnsFormatException($"'{text}' is not a TTL", 0);
            else if (recordClass is null && Mnemonics.TryParseClass(text, out var parsed))
                recordClass = parsed;
            else
                break;
            index++;
        }
        if (index >= tokens.Count)
            throw new DnsFormatException("record has no type", 0);
        if (tokens[index].Quoted || !Mnemonics.TryParseType(tokens[index].Text, out var type))
            throw new DnsFormatException($"'{tokens[index].Text}' is not a record type", 0);
        var rdata = new MasterToken[tokens.Count - index - 1];
        for (int i = 0; i < rdata.Length; i++)
            rdata[i] = tokens[index + 1 + i];
        var data = RecordDataParser.Parse(type, rdata, context.Origin);

        context.LastOwner = owner;
        state.LastClass = recordClass ?? state.LastClass;
        return new DnsRecord(owner, type, state.LastClass, ResolveTtl(state, ttl, data), data);
    }

    private static uint ResolveTtl(MasterFileState state, uint? explicitTtl, DnsRecordData data)
    {
        uint ttl = explicitTtl
            ?? state.DefaultTtl
            ?? state.LastTtl
            ?? (data as SoaRecordData)?.Minimum
            ?? throw new DnsFormatException("record has no TTL and no $TTL or earlier TTL applies", 0);
        if (explicitTtl is not null || state.DefaultTtl is null)
            state.LastTtl = ttl;
        return ttl;
    }

    private static DnsName ParseName(string text, DnsName origin, string what)
    {
        try
        {
            return DnsName.Parse(text, origin);
        }
        catch (DnsFormatException e)
        {
            throw new DnsFormatException($"{what} '{text}' is not a valid name: {e.Problem}", 0);
        }
    }

    /// <summary>What one file (or included file) has of its own: origin and the last owner.</summary>
    private sealed class FileContext(string fileName, DnsName origin)
    {
        public string FileName { get; } = fileName;
        public DnsName Origin { get; set; } = origin;
        public DnsName? LastOwner { get; set; }
    }

    /// <summary>What carries across files: records read, $TTL, last TTL and class.</summary>
    private sealed class MasterFileState(Func<string, string>? resolveInclude)
    {
        public Func<string, string>? ResolveInclude { get; } = resolveInclude;
        public List<(DnsRecord Record, string File, int Line)> Records { get; } = [];
        public uint? DefaultTtl { get; set; }
        public uint? LastTtl { get; set; }
        public RecordClass LastClass { get; set; } = RecordClass.IN;
    }
}
