using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Core.Admission;

/// <summary>
/// An address range in CIDR form ("10.0.0.0/8", "fe80::/10", or one address as "192.0.2.1").
/// IPv4 ranges are held as IPv4-mapped IPv6 (::ffff:0:0/96 plus the IPv4 prefix), so an IPv4
/// client seen on a dual-stack socket as ::ffff:a.b.c.d matches IPv4 rules, and a test of an
/// address is two 64-bit masks: no allocation.
/// </summary>
public readonly record struct AddressPrefix
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly ulong _maskHigh;
    private readonly ulong _maskLow;

    private AddressPrefix(ulong high, ulong low, int length, bool isIPv4, string text)
    {
        Length = length;
        IsIPv4 = isIPv4;
        Text = text;
        int bits = isIPv4 ? 96 + length : length;
        _maskHigh = bits >= 64 ? ulong.MaxValue : bits == 0 ? 0 : ulong.MaxValue << (64 - bits);
        _maskLow = bits <= 64 ? 0 : bits >= 128 ? ulong.MaxValue : ulong.MaxValue << (128 - bits);
        _high = high & _maskHigh;
        _low = low & _maskLow;
    }

    /// <summary>Prefix length as written (0-32 for IPv4, 0-128 for IPv6).</summary>
    public int Length { get; }

    public bool IsIPv4 { get; }

    /// <summary>The range as it was written.</summary>
    public string Text { get; }

    /// <summary>The prefix length on the common 128-bit scale, for longest-match ordering.</summary>
    internal int Specificity => IsIPv4 ? 96 + Length : Length;

    /// <summary>Parses "ADDRESS/LENGTH" or "ADDRESS"; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static AddressPrefix Parse(string text)
    {
        if (!TryParse(text, out var prefix, out var error))
            throw new FormatException(error);
        return prefix;
    }

    public static bool TryParse(string? text, out AddressPrefix prefix, out string error)
    {
        prefix = default;
        var trimmed = (text ?? "").Trim();
        int slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (addressText.Contains('%'))
        {
            error = $"'{text}': a zone index (%) has no meaning in an address range";
            return false;
        }
        if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            error = $"'{text}': '{addressText}' is not an IPv4 or IPv6 address (expected e.g. 10.0.0.0/8 or fd00::/8)";
            return false;
        }
        bool isIPv4 = address.AddressFamily == AddressFamily.InterNetwork;
        int max = isIPv4 ? 32 : 128;
        int length = max;
        if (slash >= 0 && (!int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max))
        {
            error = $"'{text}': the prefix length must be a number from 0 to {max}";
            return false;
        }
        // A range written in IPv4-mapped IPv6 form (::ffff:10.0.0.0/104) is an IPv4 range (RFC 4291 §2.5.5.2).
        if (!isIPv4 && address.IsIPv4MappedToIPv6 && length >= 96)
        {
            isIPv4 = true;
            length -= 96;
        }
        Span<byte> bytes = stackalloc byte[16];
        ToMapped(address, bytes);
        prefix = new AddressPrefix(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), length, isIPv4, trimmed);
        error = "";
        return true;
    }

    /// <summary>
    /// True when <paramref name="address"/> lies in the range. An IPv4-mapped IPv6 address counts
    /// as IPv4; IPv4 and IPv6 ranges never cover each other (::/0 does not admit IPv4 clients).
    /// </summary>
    public bool Contains(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return ToMapped(address, bytes)
            && Matches(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), IsMappedIPv4(bytes));
    }

    /// <summary>The same test on an address already in 128-bit mapped form.</summary>
    internal bool Matches(ulong high, ulong low, bool isIPv4) =>
        isIPv4 == IsIPv4 && (high & _maskHigh) == _high && (low & _maskLow) == _low;

    /// <summary>True when both cover exactly the same addresses, however they were written.</summary>
    public bool SameRange(AddressPrefix other) =>
        IsIPv4 == other.IsIPv4 && Length == other.Length && _high == other._high && _low == other._low;

    public override string ToString() => Text;

    internal static bool IsMappedIPv4(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadUInt64BigEndian(bytes) == 0 && BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) == 0xFFFF;

    /// <summary>Writes the address as 16 bytes, IPv4 as ::ffff:a.b.c.d; false for other families.</summary>
    internal static bool ToMapped(IPAddress address, Span<byte> destination)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[..10].Clear();
            destination[10] = 0xFF;
            destination[11] = 0xFF;
            return address.TryWriteBytes(destination[12..], out _);
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.TryWriteBytes(destination, out _);
    }
}
