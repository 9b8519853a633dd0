using System.Text;
using Resolver.Protocol.Names;

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

    /// <summary>
    /// Decodes one token (quotes already removed by the tokenizer, escapes still present) into
    /// octets; fails when the result is longer than 255 octets.
    /// </summary>
    public static byte[] Parse(string token)
    {
        var octets = new List<byte>(token.Length);
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c == '\\')
                octets.Add(NameText.ReadEscape(token, ref i));
            else if (c > 0xFF)
                octets.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            else
                octets.Add((byte)c);
        }
        if (octets.Count > 255)
            throw new DnsFormatException($"character-string of {octets.Count} octets is longer than 255", 0);
        return octets.ToArray();
    }
}
