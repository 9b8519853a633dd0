using System.Net;
using System.Text;

namespace Resolver.NameService;

/// <summary>Reverse-mapping domain names for PTR queries.</summary>
public static class ReverseName
{
    private const string Nibbles = "0123456789abcdef";

    /// <summary>
    /// The PTR owner name of an address, absolute (with the trailing dot):
    /// "4.3.2.1.in-addr.arpa." (RFC 1035 §3.5) or the 32-nibble ip6.arpa form,
    /// least significant nibble first (RFC 3596 §2.5). The scope id plays no part.
    /// </summary>
    public static string For(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int length);
        var sb = new StringBuilder(length == 4 ? 30 : 74);
        if (length == 4)
        {
            for (int i = 3; i >= 0; i--) sb.Append(b[i]).Append('.');
            return sb.Append("in-addr.arpa.").ToString();
        }
        for (int i = 15; i >= 0; i--)
            sb.Append(Nibbles[b[i] & 0xF]).Append('.').Append(Nibbles[b[i] >> 4]).Append('.');
        return sb.Append("ip6.arpa.").ToString();
    }

    /// <summary>
    /// The address a reverse name stands for, or null when the name is not a complete
    /// in-addr.arpa / ip6.arpa name (case-insensitive; the trailing dot is optional).
    /// </summary>
    public static IPAddress? TryParse(string name)
    {
        string n = name.EndsWith('.') ? name[..^1] : name;
        string[] labels = n.Split('.');
        if (n.EndsWith(".in-addr.arpa", StringComparison.OrdinalIgnoreCase) && labels.Length == 6)
        {
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
                if (!byte.TryParse(labels[3 - i], System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out bytes[i])
                    || (labels[3 - i].Length > 1 && labels[3 - i][0] == '0'))
                    return null;
            return new IPAddress(bytes);
        }
        if (n.EndsWith(".ip6.arpa", StringComparison.OrdinalIgnoreCase) && labels.Length == 34)
        {
            var bytes = new byte[16];
            for (int i = 0; i < 32; i++)
            {
                if (labels[i].Length != 1) return null;
                int v = Nibbles.IndexOf(char.ToLowerInvariant(labels[i][0]));
                if (v < 0) return null;
                int byteIndex = 15 - i / 2;
                bytes[byteIndex] |= (byte)(i % 2 == 0 ? v : v << 4);
            }
            return new IPAddress(bytes);
        }
        return null;
    }
}
