using System.Net;

namespace Resolver.NameService;

/// <summary>One line of /etc/hosts: an address, its canonical name and its aliases.</summary>
public sealed record HostsEntry(IPAddress Address, string CanonicalName, IReadOnlyList<string> Aliases)
{
    /// <summary>True when <paramref name="name"/> is the canonical name or an alias (ASCII case-insensitive).</summary>
    public bool HasName(string name)
    {
        if (string.Equals(CanonicalName, name, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (string alias in Aliases)
            if (string.Equals(alias, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

/// <summary>
/// The hosts database in /etc/hosts format (hosts(5)): "address canonical [aliases...]",
/// '#' to end of line is a comment, fields split by blanks. Lines whose address does not parse
/// are skipped, as glibc's nss_files does. Unlike glibc, an IPv6 address may carry a scope
/// ("fe80::1%eth0" or "%2"); the scope becomes the address's ScopeId.
/// </summary>
public sealed class HostsFile
{
    /// <summary>A hosts database with no entries (what a missing file reads as).</summary>
    public static readonly HostsFile Empty = new(Array.Empty<HostsEntry>());

    public HostsFile(IReadOnlyList<HostsEntry> entries) => Entries = entries;

    /// <summary>All entries in file order.</summary>
    public IReadOnlyList<HostsEntry> Entries { get; }

    /// <summary>Reads a hosts file; a missing file is an empty database, as for glibc.</summary>
    public static HostsFile Load(string path, IInterfaceNames? interfaces = null) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), interfaces) : Empty;

    /// <summary>Parses hosts-file text. <paramref name="interfaces"/> resolves "%ifname" scopes.</summary>
    public static HostsFile Parse(string text, IInterfaceNames? interfaces = null)
    {
        var entries = new List<HostsEntry>();
        foreach (string rawLine in text.Split('\n'))
        {
            int hash = rawLine.IndexOf('#');
            string line = hash >= 0 ? rawLine[..hash] : rawLine;
            string[] fields = line.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) continue;
            IPAddress? address = ParseAddress(fields[0], interfaces);
            if (address is null) continue;
            entries.Add(new HostsEntry(address, fields[1], fields[2..]));
        }
        return new HostsFile(entries);
    }

    internal static readonly char[] FieldSeparators = { ' ', '\t', '\r', '\f', '\v' };

    private static IPAddress? ParseAddress(string field, IInterfaceNames? interfaces)
    {
        if (InetAddressText.TryParsePton4(field, out IPAddress v4)) return v4;
        int percent = field.IndexOf('%');
        string bare = percent >= 0 ? field[..percent] : field;
        if (!InetAddressText.TryParsePton6(bare, out IPAddress v6)) return null;
        if (percent < 0) return v6;
        uint? scope = ScopeId.Parse(field[(percent + 1)..], v6, interfaces);
        if (scope is null) return null;
        v6.ScopeId = scope.Value;
        return v6;
    }

    /// <summary>
    /// Entries naming <paramref name="name"/> (canonical or alias, case-insensitive) in file order.
    /// <see cref="AddrFamily.Inet"/> gives IPv4 entries, plus IPv4-mapped IPv6 lines turned into
    /// IPv4 as glibc does; <see cref="AddrFamily.Inet6"/> gives IPv6 entries; Unspec gives both.
    /// </summary>
    public IReadOnlyList<HostsEntry> FindByName(string name, AddrFamily family = AddrFamily.Unspec)
    {
        var found = new List<HostsEntry>();
        foreach (HostsEntry e in Entries)
        {
            if (!e.HasName(name)) continue;
            HostsEntry? inFamily = InFamily(e, family);
            if (inFamily is not null) found.Add(inFamily);
        }
        return found;
    }

    /// <summary>The first entry (file order) for an address; the scope id is not compared.</summary>
    public HostsEntry? FindByAddress(IPAddress address)
    {
        AddrFamily family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? AddrFamily.Inet : AddrFamily.Inet6;
        foreach (HostsEntry e in Entries)
        {
            HostsEntry? inFamily = InFamily(e, family);
            if (inFamily is not null && SameBytes(inFamily.Address, address)) return inFamily;
        }
        return null;
    }

    private static HostsEntry? InFamily(HostsEntry e, AddrFamily family)
    {
        bool isV4 = e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        return family switch
        {
            AddrFamily.Unspec => e,
            AddrFamily.Inet when isV4 => e,
            AddrFamily.Inet when e.Address.IsIPv4MappedToIPv6 => e with { Address = e.Address.MapToIPv4() },
            AddrFamily.Inet6 when !isV4 => e,
            _ => null,
        };
    }

    internal static bool SameBytes(IPAddress a, IPAddress b)
    {
        if (a.AddressFamily != b.AddressFamily) return false;
        Span<byte> x = stackalloc byte[16], y = stackalloc byte[16];
        a.TryWriteBytes(x, out int lx);
        b.TryWriteBytes(y, out int ly);
        return x[..lx].SequenceEqual(y[..ly]);
    }
}
