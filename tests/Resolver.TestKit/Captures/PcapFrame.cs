namespace Resolver.TestKit.Captures;

/// <summary>One captured link-layer frame as stored in a pcap or pcapng file.</summary>
/// <param name="Index">0-based position of the frame in the file (Wireshark shows Index + 1).</param>
/// <param name="LinkType">The LINKTYPE_ value of the interface that captured it (see <see cref="LinkTypes"/>).</param>
/// <param name="Timestamp">Capture time.</param>
/// <param name="Data">The captured bytes (possibly cut at the snapshot length).</param>
public sealed record PcapFrame(int Index, int LinkType, DateTimeOffset Timestamp, byte[] Data);

/// <summary>LINKTYPE_ values this reader decodes (https://www.tcpdump.org/linktypes.html).</summary>
public static class LinkTypes
{
    /// <summary>BSD loopback: a 4-byte address family in the capturing host's byte order.</summary>
    public const int Null = 0;
    /// <summary>Ethernet II (also what Linux shows for lo).</summary>
    public const int Ethernet = 1;
    /// <summary>Raw IP, no link header (the value OpenBSD-era files use).</summary>
    public const int RawOld = 12;
    /// <summary>Raw IP, no link header.</summary>
    public const int Raw = 101;
    /// <summary>OpenBSD loopback: like <see cref="Null"/> but the family is big-endian.</summary>
    public const int Loop = 108;
    /// <summary>Linux "any" device cooked capture, version 1 (16-byte header).</summary>
    public const int LinuxSll = 113;
    /// <summary>Raw IPv4.</summary>
    public const int IPv4 = 228;
    /// <summary>Raw IPv6.</summary>
    public const int IPv6 = 229;
    /// <summary>Linux cooked capture, version 2 (20-byte header).</summary>
    public const int LinuxSll2 = 276;
}
