using System.Globalization;

namespace Resolver.Protocol.Text;

/// <summary>
/// TTLs in master files: plain seconds, or BIND's unit form ("1h30m", "1d", "2w"; units s, m,
/// h, d, w in either case). RFC 2181 §8 limits a TTL to 2^31 - 1 seconds.
/// </summary>
public static class TtlText
{
    public const uint MaxTtl = int.MaxValue;

    public static bool TryParse(string text, out uint seconds)
    {
        seconds = 0;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]))
            return false;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong plain))
            return Fits(plain, out seconds);
        ulong total = 0;
        ulong number = 0;
        bool haveDigits = false;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = number * 10 + (ulong)(c - '0');
                haveDigits = true;
                if (number > MaxTtl)
                    return false;
                continue;
            }
            ulong unit = char.ToLowerInvariant(c) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0 || !haveDigits)
                return false;
            total += number * unit;
            if (total > MaxTtl)
                return false;
            number = 0;
            haveDigits = false;
        }
        // Every number needs a unit once units are used ("1h30" is ambiguous).
        return !haveDigits && Fits(total, out seconds);
    }

    private static bool Fits(ulong value, out uint seconds)
    {
        seconds = value <= MaxTtl ? (uint)value : 0;
        return value <= MaxTtl;
    }
}
