namespace Resolver.Protocol.Names;

/// <summary>
/// Case-insensitive comparison and hashing of uncompressed wire names. DNS compares names
/// ASCII-case-insensitively (RFC 4343 §3); every other octet compares exactly.
/// </summary>
public static class WireNameComparer
{
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
            return false;
        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i] && ToLower(left[i]) != ToLower(right[i]))
                return false;
        }
        return true;
    }

    public static int GetHashCodeIgnoreCase(ReadOnlySpan<byte> name)
    {
        var hash = new HashCode();
        for (int i = 0; i < name.Length; i++)
            hash.Add(ToLower(name[i]));
        return hash.ToHashCode();
    }

    /// <summary>Lower-cases ASCII letters in place. Length octets are below 64 and never letters.</summary>
    public static void ToLowerInPlace(Span<byte> name)
    {
        for (int i = 0; i < name.Length; i++)
            name[i] = ToLower(name[i]);
    }

    public static byte ToLower(byte value) => value is >= (byte)'A' and <= (byte)'Z' ? (byte)(value | 0x20) : value;
}
