using Resolver.Protocol;
using Resolver.Protocol.Text;

namespace Resolver.Core.Zones;

/// <summary>
/// Reads one zone file with <see cref="MasterFileReader"/> into a <see cref="ZoneBuilder"/>:
/// the apex is the file's first $ORIGIN (when it comes before any record) or else the file name
/// without ".zone"; $INCLUDE may only name files inside the zones folder; each record keeps the
/// file and line it came from, so the builder's errors can name them.
/// </summary>
internal sealed class ZoneFileReader
{
    private readonly string _root;
    private readonly string _displayRoot;
    private readonly Dictionary<string, string> _included = new(StringComparer.Ordinal);

    /// <param name="root">The zones folder (full path): $INCLUDE stays inside it.</param>
    /// <param name="displayRoot">The folder as the operator wrote it, for messages ("zones").</param>
    public ZoneFileReader(string root, string displayRoot)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _displayRoot = displayRoot;
    }

    public Zone Read(string path, List<string> warnings)
    {
        string display = Display(Path.GetRelativePath(_root, Path.GetFullPath(path)));
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZoneLoadException(display, 0, $"cannot read the file: {e.Message}");
        }

        IReadOnlyList<MasterEntry> entries;
        IReadOnlyList<DnsRecord> records;
        DnsName apex;
        try
        {
            entries = MasterTokenizer.Tokenize(text, display);
            (apex, var start) = FindApex(entries, Path.GetFileName(path), display);
            records = MasterFileReader.Read(text, display, start, ResolveInclude);
        }
        catch (DnsFormatException e)
        {
            // The reader's messages already say "file line N: problem".
            throw new ZoneLoadException(e.Message, e);
        }

        var positions = new List<(string File, int Line)>(records.Count);
        CollectPositions(entries, display, positions, depth: 0);
        bool aligned = positions.Count == records.Count;
        var zone = new ZoneBuilder(apex, display, warnings);
        for (int i = 0; i < records.Count; i++)
        {
            var (file, line) = aligned ? positions[i] : (display, 0);
            zone.Add(records[i], file, line);
        }
        return zone.Build();
    }

    // The zone's name: an $ORIGIN before the first record, else "home.arpa.zone" -> home.arpa.
    // The reader starts from the file name's origin, so a relative $ORIGIN means the same to both.
    private static (DnsName Apex, DnsName Start) FindApex(IReadOnlyList<MasterEntry> entries, string fileName, string display)
    {
        string name = fileName[..^".zone".Length];
        var start = DnsName.Root;
        bool named = name.Length > 0 && DnsName.TryParse(name + ".", out start);
        foreach (var entry in entries)
        {
            var first = entry.Tokens[0];
            if (entry.StartsWithBlank || first.Quoted || !first.Text.StartsWith('$'))
                break;
            if (first.Text.Equals("$ORIGIN", StringComparison.OrdinalIgnoreCase) && entry.Tokens.Count == 2
                && DnsName.TryParse(entry.Tokens[1].Text, out var origin, start))
                return (origin, start);
        }
        if (!named)
            throw new ZoneLoadException(display, 0, $"'{name}' is not a zone name; name the file after its zone (home.arpa.zone) or start it with $ORIGIN");
        return (start, start);
    }

    // RFC 1035 §5.1 leaves where an $INCLUDE file is found to the implementation; here it is the
    // zones folder and nowhere else, so a zone file cannot make the server read /etc/shadow.
    private string ResolveInclude(string path)
    {
        string full = Path.GetFullPath(Path.Combine(_root, path));
        if (!IsInsideRoot(full))
            throw new InvalidOperationException($"'{path}' is outside the zones folder {_displayRoot}; $INCLUDE may only name files inside it");
        if (File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target && !IsInsideRoot(target.FullName))
            throw new InvalidOperationException($"'{path}' links to {target.FullName}, outside the zones folder {_displayRoot}");
        string text = File.ReadAllText(full);
        _included[path] = text;
        return text;
    }

    private bool IsInsideRoot(string full) =>
        full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The file and line of each record, in the order <see cref="MasterFileReader"/> returns them:
    /// one per entry that is not a directive, with $INCLUDEd files expanded in place.
    /// </summary>
    private void CollectPositions(IReadOnlyList<MasterEntry> entries, string display, List<(string, int)> positions, int depth)
    {
        foreach (var entry in entries)
        {
            var first = entry.Tokens[0];
            if (entry.StartsWithBlank || first.Quoted || !first.Text.StartsWith('$'))
            {
                positions.Add((display, entry.Line));
                continue;
            }
            if (first.Text.Equals("$INCLUDE", StringComparison.OrdinalIgnoreCase) && entry.Tokens.Count >= 2
                && depth < MasterFileReader.MaxIncludeDepth && _included.TryGetValue(entry.Tokens[1].Text, out var text))
            {
                string included = Display(entry.Tokens[1].Text);
                CollectPositions(MasterTokenizer.Tokenize(text, included), included, positions, depth + 1);
            }
        }
    }

    private string Display(string relative) => Path.Join(_displayRoot, relative).Replace('\\', '/');
}
