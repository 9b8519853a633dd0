using System.Net;

namespace Resolver.NameService;

/// <summary>
/// glibc's default address-selection policy (sysdeps/posix/getaddrinfo.c, the RFC 3484 table
/// glibc still ships; /etc/gai.conf is not read): precedence and label per prefix, and scopes.
/// IPv4 addresses are looked up in their IPv4-mapped form (RFC 6724 §2.1).
/// </summary>
public static class AddressPolicyTable
{
    private readonly record struct PolicyEntry(byte[] Prefix, int Bits, int Value);

    private static PolicyEntry E(string prefix, int bits, int value) =>
        new(IPAddress.Parse(prefix).GetAddressBytes(), bits, value);

    // Longest prefixes first: ::1/128 lies inside ::/96.
    private static readonly PolicyEntry[] Labels =
    {
        E("::1", 128, 0), E("::", 96, 3), E("::ffff:0:0", 96, 4), E("2001::", 32, 7),
        E("2002::", 16, 2), E("fec0::", 10, 5), E("fc00::", 7, 6), E("::", 0, 1),
    };

    private static readonly PolicyEntry[] Precedences =
    {
        E("::1", 128, 50), E("::", 96, 20), E("::ffff:0:0", 96, 10), E("2002::", 16, 30), E("::", 0, 40),
    };

    public static int LabelOf(IPAddress address) => Lookup(Labels, address);

    public static int PrecedenceOf(IPAddress address) => Lookup(Precedences, address);

    /// <summary>
    /// Scope as glibc's get_scope computes it (RFC 6724 §3.1 values): IPv6 multicast from its
    /// scope field; link-local and loopback 2; site-local 5; anything else 14. IPv4: 169.254/16
    /// and 127/8 are 2, the rest 14.
    /// </summary>
    public static int ScopeOf(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int length);
        if (length == 4)
            return (b[0] == 169 && b[1] == 254) || b[0] == 127 ? 2 : 14;
        if (b[0] == 0xFF) return b[1] & 0x0F;
        if (address.IsIPv6LinkLocal || IPAddress.IPv6Loopback.Equals(WithoutScope(address))) return 2;
        if (address.IsIPv6SiteLocal) return 5;
        return 14;
    }

    private static IPAddress WithoutScope(IPAddress a) => new(a.GetAddressBytes());

    private static int Lookup(PolicyEntry[] table, IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        AsIPv6Bytes(address, b);
        foreach (PolicyEntry e in table)
            if (PrefixMatches(e.Prefix, e.Bits, b)) return e.Value;
        return table[^1].Value;
    }

    internal static void AsIPv6Bytes(IPAddress address, Span<byte> into)
    {
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address)
            .TryWriteBytes(into, out _);
    }

    private static bool PrefixMatches(byte[] prefix, int bits, ReadOnlySpan<byte> address)
    {
        int full = bits / 8;
        for (int i = 0; i < full; i++)
            if (prefix[i] != address[i]) return false;
        int rest = bits % 8;
        if (rest == 0) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (prefix[full] & mask) == (address[full] & mask);
    }
}
