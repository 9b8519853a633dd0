using Resolver.Protocol.Text;

namespace Resolver.Protocol.Records;

/// <summary>The NSEC3/NSEC3PARAM salt in text (RFC 5155 §3.3): hex, or "-" when empty.</summary>
internal static class Nsec3SaltText
{
    public static string Format(byte[] salt) => salt.Length == 0 ? "-" : Convert.ToHexString(salt);

    public static byte[] Parse(RdataTokenReader tokens)
    {
        var token = tokens.Next("salt");
        if (!token.Quoted && token.Text == "-")
            return [];
        if (token.Quoted || !BinaryText.TryDecodeHex(token.Text, out var salt) || salt.Length == 0)
            throw tokens.Error($"salt '{token.Text}' is neither hex nor '-'");
        if (salt.Length > 255)
            throw tokens.Error($"salt of {salt.Length} octets is longer than 255");
        return salt;
    }
}
