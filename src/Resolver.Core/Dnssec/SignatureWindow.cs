namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4034 §3.1.5 / RFC 4035 §5.3.1: a signature is valid from inception to expiration, times
/// compared in serial number arithmetic (RFC 1982) so the 32-bit fields wrap in 2106. A small
/// skew allowance on both ends keeps a slightly wrong clock from failing fresh signatures.
/// </summary>
public static class SignatureWindow
{
    public enum Position
    {
        Valid,
        NotYetValid,
        Expired,
    }

    public static Position Check(uint inception, uint expiration, DateTimeOffset now, TimeSpan skew)
    {
        uint current = (uint)now.ToUnixTimeSeconds();
        uint allowance = (uint)Math.Clamp(skew.TotalSeconds, 0, int.MaxValue);
        if (SerialLess(current + allowance, inception))
            return Position.NotYetValid;
        if (SerialLess(expiration, current - allowance))
            return Position.Expired;
        return Position.Valid;
    }

    // RFC 1982 §3.2: a < b when (b - a) mod 2^32 is in (0, 2^31).
    private static bool SerialLess(uint a, uint b) => a != b && (int)(b - a) > 0;
}
