namespace Resolver.NameService;

/// <summary>One line of /etc/services: "name port/protocol [aliases...]".</summary>
public sealed record ServiceEntry(string Name, int Port, string Protocol, IReadOnlyList<string> Aliases)
{
    /// <summary>True for the official name or an alias; case-sensitive like glibc's nss_files.</summary>
    public bool HasName(string name)
    {
        if (Name == name) return true;
        foreach (string alias in Aliases)
            if (alias == name) return true;
        return false;
    }
}

/// <summary>
/// The services database in /etc/services format (services(5)). Names and protocols compare
/// case-sensitively and the first matching line wins, as getservbyname/getservbyport do.
/// </summary>
public sealed class ServicesFile
{
    /// <summary>A services database with no entries (what a missing file reads as).</summary>
    public static readonly ServicesFile Empty = new(Array.Empty<ServiceEntry>());

    public ServicesFile(IReadOnlyList<ServiceEntry> entries) => Entries = entries;

    /// <summary>All entries in file order.</summary>
    public IReadOnlyList<ServiceEntry> Entries { get; }

    /// <summary>Reads a services file; a missing file is an empty database.</summary>
    public static ServicesFile Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;

    /// <summary>Parses services-file text; malformed lines are skipped.</summary>
    public static ServicesFile Parse(string text)
    {
        var entries = new List<ServiceEntry>();
        foreach (string rawLine in text.Split('\n'))
        {
            int hash = rawLine.IndexOf('#');
            string line = hash >= 0 ? rawLine[..hash] : rawLine;
            string[] fields = line.Split(HostsFile.FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) continue;
            int slash = fields[1].IndexOf('/');
            if (slash <= 0 || slash == fields[1].Length - 1) continue;
            if (!int.TryParse(fields[1].AsSpan(0, slash), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out int port) || port > 65535)
                continue;
            entries.Add(new ServiceEntry(fields[0], port, fields[1][(slash + 1)..], fields[2..]));
        }
        return new ServicesFile(entries);
    }

    /// <summary>getservbyname: the first entry named <paramref name="name"/> for the protocol (any when null).</summary>
    public ServiceEntry? FindByName(string name, string? protocol)
    {
        foreach (ServiceEntry e in Entries)
            if (e.HasName(name) && (protocol is null || e.Protocol == protocol)) return e;
        return null;
    }

    /// <summary>getservbyname's port, or null.</summary>
    public int? FindPort(string name, string? protocol) => FindByName(name, protocol)?.Port;

    /// <summary>getservbyport: the first entry for the port and protocol (any when null).</summary>
    public ServiceEntry? FindByPort(int port, string? protocol)
    {
        foreach (ServiceEntry e in Entries)
            if (e.Port == port && (protocol is null || e.Protocol == protocol)) return e;
        return null;
    }
}
