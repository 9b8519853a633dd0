using System.Text;

namespace Resolver.Protocol.Text;

/// <summary>
/// Presentation form of a character-string (RFC 1035 §5.1): quoted, with '"' and '\' escaped
/// and non-printable octets as \DDD, the way dig prints TXT data.
/// </summary>
public static class CharacterStringText
{
    public static void AppendQuoted(StringBuilder builder, ReadOnlySpan<byte> octets)
    {
        builder.Append('"');
        foreach (byte octet in octets)
        {
            if (octet is (byte)'"' or (byte)'\\')
                builder.Append('\\').Append((char)octet);
            else if (octet is >= 0x20 and < 0x7F)
                builder.Append((char)octet);
            else
                builder.Append('\\').Append((char)('0' + octet / 100)).Append((char)('0' + octet / 10 % 10)).Append((char)('0' + octet % 10));
        }
        builder.Append('"');
    }

    public static string Quote(ReadOnlySpan<byte> octets)
    {
        var builder = new StringBuilder(octets.Length + 2);
        AppendQuoted(builder, octets);
        return builder.ToString();
    }
}
