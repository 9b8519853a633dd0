using System.Globalization;

namespace Resolver.Protocol.Text;

/// <summary>
/// RRSIG inception and expiration in text (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC, or a plain
/// count of seconds since 1970. Printed in the date form, read as an unsigned 32-bit count
/// (so dates run to 2106; serial-number arithmetic past that is the validator's business).
/// </summary>
public static class SignatureTimeText
{
    private const string DateFormat = "yyyyMMddHHmmss";

    public static string Format(uint secondsSinceEpoch) =>
        DateTime.UnixEpoch.AddSeconds(secondsSinceEpoch).ToString(DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out uint secondsSinceEpoch)
    {
        secondsSinceEpoch = 0;
        // RFC 4034 §3.2: a 14-digit field is a date; anything else is the 32-bit number itself.
        if (text.Length != 14)
            return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out secondsSinceEpoch);
        if (!DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            return false;
        double seconds = (date - DateTime.UnixEpoch).TotalSeconds;
        if (seconds is < 0 or > uint.MaxValue)
            return false;
        secondsSinceEpoch = (uint)seconds;
        return true;
    }
}
