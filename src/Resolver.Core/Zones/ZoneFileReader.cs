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

    /// <param name="root">The zones folder (full path): $INCLUDE stays inside it.</param>
    /// <param name="displayRoot">The folder as the operator wrote it, for messages ("zones").</param>
    public ZoneFileReader(string root, string displayRoot)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _displayRoot = displayRoot;
    }

    public Zone Read(string path, List<string> warnings)
    {
        string display = Shown(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZoneLoadException(display, 0, $"cannot read the file: {e.Message}");
        }

        IReadOnlyList<(DnsRecord Record, string File, int Line)> records;
        DnsName apex;
        try
        {
            (apex, var start) = FindApex(MasterTokenizer.Tokenize(text, display), Path.GetFileName(path), display);
            records = MasterFileReader.ReadWithPositions(text, display, start, ResolveInclude);
        }
        catch (DnsFormatException e)
        {
            throw Relocate(e, display);
        }

        var zone = new ZoneBuilder(apex, display, warnings);
        foreach (var (record, file, line) in records)
            zone.Add(record, ShownFile(file, display), line);
        return zone.Build();
    }

    // The reader names the top file as we passed it and an included file by its $INCLUDE argument.
    private string ShownFile(string file, string display) =>
        file == display ? display : Display(file);

    /// <summary>
    /// The reader's errors read "{file} line {N}: {problem}" with N in <see cref="DnsFormatException.Offset"/>;
    /// split them into file, line and problem so the message takes our "file:line: problem" form.
    /// </summary>
    private ZoneLoadException Relocate(DnsFormatException e, string display)
    {
        string marker = $" line {e.Offset}: ";
        int at = e.Problem.IndexOf(marker, StringComparison.Ordinal);
        if (e.Offset <= 0 || at <= 0)
            return new ZoneLoadException(display, 0, e.Problem, e);
        return new ZoneLoadException(ShownFile(e.Problem[..at], display), e.Offset, e.Problem[(at + marker.Length)..], e);
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
        return File.ReadAllText(full);
    }

    private bool IsInsideRoot(string full) =>
        full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A file of the folder as messages show it ("zones/example.test.zone").</summary>
    public string Shown(string path) => Display(Path.GetRelativePath(_root, Path.GetFullPath(path)));

    private string Display(string relative) => Path.Join(_displayRoot, relative).Replace('\\', '/');
}
