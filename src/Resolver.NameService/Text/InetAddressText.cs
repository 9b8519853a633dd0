using System.Net;
using System.Text;

namespace Resolver.NameService;

/// <summary>
/// Address text forms exactly as glibc reads and writes them. .NET's IPAddress.TryParse is more
/// lenient (brackets, scopes, IPv4 shorthand in IPv6 context) and its IPv6 formatter embeds IPv4
/// in cases glibc does not, so getaddrinfo/getnameinfo results would differ from a C program's.
/// </summary>
public static class InetAddressText
{
    /// <summary>
    /// inet_aton without trailing text (glibc __inet_aton_exact): "a.b.c.d", "a.b.c", "a.b", "a",
    /// each part decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
    /// </summary>
    public static bool TryParseAton(string text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<uint> parts = stackalloc uint[4];
        int count = 0, i = 0;
        while (true)
        {
            if (!TryParseAtonPart(text, ref i, out uint value)) return false;
            if (count == 4) return false;
            parts[count++] = value;
            if (i == text.Length) break;
            if (text[i] != '.' || count == 4) return false;
            i++;
        }
        // Every part but the last is one byte; the last fills what is left (a.b = 8 + 24 bits).
        for (int p = 0; p < count - 1; p++)
            if (parts[p] > 0xFF) return false;
        uint last = parts[count - 1];
        uint lastMax = count switch { 1 => 0xFFFFFFFF, 2 => 0xFFFFFF, 3 => 0xFFFF, _ => 0xFF };
        if (last > lastMax) return false;
        uint v = last;
        for (int p = 0; p < count - 1; p++) v |= parts[p] << (24 - 8 * p);
        address = new IPAddress(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });
        return true;
    }

    private static bool TryParseAtonPart(string text, ref int i, out uint value)
    {
        value = 0;
        if (i >= text.Length || !char.IsAsciiDigit(text[i])) return false;
        int numberBase = 10;
        bool digit = false;
        if (text[i] == '0')
        {
            i++;
            if (i < text.Length && (text[i] == 'x' || text[i] == 'X')) { numberBase = 16; i++; }
            else { numberBase = 8; digit = true; }
        }
        ulong v = 0;
        for (; i < text.Length; i++)
        {
            int d = HexValue(text[i]);
            if (d < 0 || d >= numberBase) break;
            v = v * (uint)numberBase + (uint)d;
            if (v > 0xFFFFFFFF) return false;
            digit = true;
        }
        // "08": glibc rejects an 8 or 9 in an octal part rather than stopping before it.
        if (numberBase == 8 && i < text.Length && (text[i] == '8' || text[i] == '9')) return false;
        value = (uint)v;
        return digit;
    }

    /// <summary>inet_pton(AF_INET): exactly four decimal octets, no leading zeros.</summary>
    public static bool TryParsePton4(ReadOnlySpan<char> text, Span<byte> into)
    {
        int octets = 0, value = 0;
        bool sawDigit = false;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (sawDigit && value == 0) return false; // leading zero
                value = value * 10 + (c - '0');
                if (value > 255) return false;
                if (!sawDigit) { if (++octets > 4) return false; sawDigit = true; }
            }
            else if (c == '.' && sawDigit)
            {
                if (octets == 4) return false;
                into[octets - 1] = (byte)value;
                value = 0; sawDigit = false;
            }
            else return false;
        }
        if (octets < 4 || !sawDigit) return false;
        into[3] = (byte)value;
        return true;
    }

    /// <summary>inet_pton(AF_INET) to an address.</summary>
    public static bool TryParsePton4(string text, out IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address = IPAddress.None;
        if (!TryParsePton4(text.AsSpan(), b)) return false;
        address = new IPAddress(b);
        return true;
    }

    /// <summary>inet_pton(AF_INET6) as glibc: no scope, no brackets, at most one "::".</summary>
    public static bool TryParsePton6(string text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        Span<byte> b = stackalloc byte[16];
        if (!TryParsePton6(text.AsSpan(), b)) return false;
        address = new IPAddress(b);
        return true;
    }

    private static bool TryParsePton6(ReadOnlySpan<char> s, Span<byte> b)
    {
        int tp = 0, colonAt = -1, i = 0, curTok = 0, value = 0, digits = 0;
        if (s.Length > 0 && s[0] == ':')
        {
            if (s.Length < 2 || s[1] != ':') return false;
            i = 1;
        }
        curTok = i;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            int d = HexValue(c);
            if (d >= 0)
            {
                if (++digits > 4) return false;
                value = (value << 4) | d;
                continue;
            }
            if (c == ':')
            {
                curTok = i + 1;
                if (digits == 0)
                {
                    if (colonAt >= 0) return false;
                    colonAt = tp;
                    continue;
                }
                if (i + 1 == s.Length || tp + 2 > 16) return false;
                b[tp++] = (byte)(value >> 8); b[tp++] = (byte)value;
                value = 0; digits = 0;
                continue;
            }
            if (c == '.' && tp + 4 <= 16 && TryParsePton4(s[curTok..], b.Slice(tp, 4)))
            {
                tp += 4; digits = 0;
                i = s.Length;
                break;
            }
            return false;
        }
        if (digits > 0)
        {
            if (tp + 2 > 16) return false;
            b[tp++] = (byte)(value >> 8); b[tp++] = (byte)value;
        }
        if (colonAt >= 0)
        {
            if (tp == 16) return false; // "::" must stand for at least one group
            int n = tp - colonAt;
            for (int k = 1; k <= n; k++) { b[16 - k] = b[colonAt + n - k]; b[colonAt + n - k] = 0; }
            tp = 16;
        }
        return tp == 16;
    }

    /// <summary>
    /// inet_ntop as glibc writes it: IPv4 dotted quad; IPv6 lower-case, the first longest run of
    /// two or more zero groups as "::", IPv4 embedded only for ::a.b.c.d and ::ffff:a.b.c.d.
    /// The scope id is never written (getnameinfo appends it itself).
    /// </summary>
    public static string Format(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int length);
        if (length == 4) return FormatIPv4(b[..4]);
        Span<int> words = stackalloc int[8];
        for (int w = 0; w < 8; w++) words[w] = (b[2 * w] << 8) | b[2 * w + 1];
        (int bestBase, int bestLen) = LongestZeroRun(words);
        var sb = new StringBuilder(46);
        for (int w = 0; w < 8; w++)
        {
            if (bestBase >= 0 && w >= bestBase && w < bestBase + bestLen)
            {
                if (w == bestBase) sb.Append(':');
                continue;
            }
            if (w != 0) sb.Append(':');
            if (w == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xFFFF)))
            {
                sb.Append(FormatIPv4(b.Slice(12, 4)));
                return sb.ToString();
            }
            sb.Append(words[w].ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.Append(':');
        return sb.ToString();
    }

    private static (int Base, int Len) LongestZeroRun(ReadOnlySpan<int> words)
    {
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int w = 0; w < 8; w++)
        {
            if (words[w] == 0)
            {
                if (curBase < 0) { curBase = w; curLen = 1; } else curLen++;
                continue;
            }
            if (curBase >= 0 && curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
            curBase = -1;
        }
        if (curBase >= 0 && curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
        return bestLen < 2 ? (-1, 0) : (bestBase, bestLen);
    }

    private static string FormatIPv4(ReadOnlySpan<byte> b) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b[0]}.{b[1]}.{b[2]}.{b[3]}");

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
