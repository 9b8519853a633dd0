using System.Text;

namespace Resolver.Protocol.Text;

/// <summary>
/// Base32 with the "extended hex" alphabet (RFC 4648 §7), without padding, as NSEC3 prints the
/// next hashed owner name (RFC 5155 §3.3). Letters print upper case; either case parses.
/// </summary>
public static class Base32HexText
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var builder = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        foreach (byte octet in data)
        {
            buffer = (buffer << 8) | octet;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                builder.Append(Alphabet[(buffer >> bits) & 0x1F]);
            }
        }
        if (bits > 0)
            builder.Append(Alphabet[(buffer << (5 - bits)) & 0x1F]);
        return builder.ToString();
    }

    /// <summary>False for characters outside the alphabet, padding, or a length no octet count gives.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        // 8 characters carry 5 octets; a final group of 1, 3 or 6 characters encodes no whole octet.
        if (text.Length % 8 is 1 or 3 or 6)
            return false;
        var octets = new byte[text.Length * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        foreach (char c in text)
        {
            int value = ValueOf(c);
            if (value < 0)
                return false;
            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                octets[written++] = (byte)(buffer >> bits);
            }
        }
        // Leftover bits must be zero, or two texts would decode to the same octets.
        if ((buffer & ((1 << bits) - 1)) != 0)
            return false;
        data = octets;
        return true;
    }

    private static int ValueOf(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'V' => c - 'A' + 10,
        >= 'a' and <= 'v' => c - 'a' + 10,
        _ => -1,
    };
}
