using System.Text;
using Resolver.Protocol.Names;

namespace Resolver.Protocol.Text;

/// <summary>
/// Decodes presentation text with RFC 1035 §5.1 escapes ("\X" for X, "\DDD" for an octet) into
/// octets, with no 255-octet limit: CAA values and SvcParam values are longer than a
/// character-string may be. Characters beyond ASCII are taken as UTF-8.
/// </summary>
public static class EscapedText
{
    public static byte[] Decode(string text)
    {
        var octets = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                octets.Add(NameText.ReadEscape(text, ref i));
            }
            else if (c < 0x80)
            {
                octets.Add((byte)c);
            }
            else
            {
                int length = char.IsHighSurrogate(c) && i + 1 < text.Length
                    ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
                for (int k = 0; k < length; k++)
                    octets.Add(utf8[k]);
            }
        }
        return octets.ToArray();
    }
}
