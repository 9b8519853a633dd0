using System.Text;

namespace Resolver.Protocol.Names;

/// <summary>
/// Presentation form of names (RFC 1035 §5.1): labels joined by dots, "\." for a dot inside
/// a label, "\\" for a backslash, "\DDD" for octets that are not printable.
/// </summary>
internal static class NameText
{
    public static DnsName Parse(string text, DnsName? origin)
    {
        if (text.Length == 0)
            throw new DnsFormatException("empty name", 0);
        if (text == "@")
            return origin ?? throw new DnsFormatException("'@' used without an origin", 0);
        if (text == ".")
            return DnsName.Root;

        Span<byte> wire = stackalloc byte[WireNameReader.MaxNameLength + 64];
        int written = 0;
        int labelStart = 0;
        int labelLength = 0;
        bool absolute = false;
        wire[0] = 0;
        written = 1;

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            byte octet;
            if (c == '.')
            {
                if (labelLength == 0)
                    throw new DnsFormatException($"empty label in name '{text}'", i);
                wire[labelStart] = (byte)labelLength;
                if (i == text.Length - 1)
                {
                    absolute = true;
                    break;
                }
                labelStart = written;
                wire[written++] = 0;
                labelLength = 0;
                continue;
            }
            if (c == '\\')
            {
                octet = ReadEscape(text, ref i);
            }
            else
            {
                if (c > 0x7E || c < 0x21)
                    throw new DnsFormatException($"character '{c}' must be escaped in name '{text}'", i);
                octet = (byte)c;
            }
            if (++labelLength > WireNameReader.MaxLabelLength)
                throw new DnsFormatException($"label longer than 63 octets in name '{text}'", i);
            if (written >= WireNameReader.MaxNameLength)
                throw new DnsFormatException($"name '{text}' is longer than 255 octets", i);
            wire[written++] = octet;
        }
        if (!absolute)
            wire[labelStart] = (byte)labelLength;
        wire[written++] = 0;
        if (written > WireNameReader.MaxNameLength)
            throw new DnsFormatException($"name '{text}' is longer than 255 octets", text.Length);

        var name = DnsName.FromWire(wire[..written]);
        if (absolute)
            return name;
        return origin is null ? name : name.Append(origin);
    }

    /// <summary>Reads "\DDD" or "\X" starting at the backslash; leaves <paramref name="i"/> on its last char.</summary>
    public static byte ReadEscape(string text, ref int i)
    {
        if (i + 1 >= text.Length)
            throw new DnsFormatException("backslash at end of text", i);
        char next = text[i + 1];
        if (char.IsAsciiDigit(next))
        {
            if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                throw new DnsFormatException("\\DDD escape needs three digits", i);
            int value = (next - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
            if (value > 255)
                throw new DnsFormatException("\\DDD escape above 255", i);
            i += 3;
            return (byte)value;
        }
        if (next > 0x7E)
            throw new DnsFormatException("escaped character is not ASCII", i);
        i += 1;
        return (byte)next;
    }

    public static string Format(ReadOnlySpan<byte> wire)
    {
        if (wire.Length <= 1)
            return ".";
        var builder = new StringBuilder(wire.Length + 8);
        int position = 0;
        while (wire[position] != 0)
        {
            int length = wire[position];
            AppendLabel(builder, wire.Slice(position + 1, length));
            builder.Append('.');
            position += 1 + length;
        }
        return builder.ToString();
    }

    private static void AppendLabel(StringBuilder builder, ReadOnlySpan<byte> label)
    {
        foreach (byte octet in label)
        {
            // The same special characters dig escapes in names (BIND's dns_name_totext).
            switch (octet)
            {
                case (byte)'.' or (byte)'"' or (byte)';' or (byte)'\\' or (byte)'(' or (byte)')' or (byte)'@' or (byte)'$':
                    builder.Append('\\').Append((char)octet);
                    break;
                case > 0x20 and < 0x7F:
                    builder.Append((char)octet);
                    break;
                default:
                    builder.Append('\\').Append((char)('0' + octet / 100)).Append((char)('0' + octet / 10 % 10)).Append((char)('0' + octet % 10));
                    break;
            }
        }
    }
}
