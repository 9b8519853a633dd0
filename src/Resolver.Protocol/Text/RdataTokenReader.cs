using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Resolver.Protocol.Text;

/// <summary>
/// A cursor over the RDATA tokens of one record, with typed reads. Every failure is a
/// <see cref="DnsFormatException"/> naming the type, the field and the offending token; its
/// offset is the token's index in the RDATA.
/// </summary>
internal sealed class RdataTokenReader(RecordType type, IReadOnlyList<MasterToken> tokens, DnsName origin)
{
    private int _index;

    public RecordType Type { get; } = type;

    public DnsName Origin { get; } = origin;

    public bool AtEnd => _index >= tokens.Count;

    public MasterToken Next(string field)
    {
        if (AtEnd)
            throw Error($"missing {field}");
        return tokens[_index++];
    }

    public byte ReadByte(string field)
    {
        var token = Next(field);
        if (token.Quoted || !byte.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out byte value))
            throw Error($"{field} '{token.Text}' is not a number from 0 to 255", _index - 1);
        return value;
    }

    public ushort ReadUInt16(string field)
    {
        var token = Next(field);
        if (token.Quoted || !ushort.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort value))
            throw Error($"{field} '{token.Text}' is not a number from 0 to 65535", _index - 1);
        return value;
    }

    public uint ReadUInt32(string field)
    {
        var token = Next(field);
        if (token.Quoted || !uint.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value))
            throw Error($"{field} '{token.Text}' is not a number from 0 to 4294967295", _index - 1);
        return value;
    }

    public DnsName ReadName(string field)
    {
        var token = Next(field);
        try
        {
            return DnsName.Parse(token.Text, Origin);
        }
        catch (DnsFormatException e)
        {
            throw Error($"{field} '{token.Text}' is not a valid name: {e.Problem}", _index - 1);
        }
    }

    /// <summary>A character-string (RFC 1035 §5.1): quoted or not, escapes decoded, at most 255 octets.</summary>
    public byte[] ReadCharacterString(string field)
    {
        byte[] octets = ReadEscaped(field);
        if (octets.Length > 255)
            throw Error($"{field} of {octets.Length} octets is longer than a character-string's 255", _index - 1);
        return octets;
    }

    /// <summary>A token decoded with its escapes, without the character-string length limit.</summary>
    public byte[] ReadEscaped(string field)
    {
        var token = Next(field);
        try
        {
            return EscapedText.Decode(token.Text);
        }
        catch (DnsFormatException e)
        {
            throw Error($"{field} '{token.Text}': {e.Problem}", _index - 1);
        }
    }

    public IPAddress ReadAddress(AddressFamily family, string field)
    {
        var token = Next(field);
        if (!TryParseAddress(token.Text, family, out var address))
            throw Error($"{field} '{token.Text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address", _index - 1);
        return address;
    }

    public RecordType ReadType(string field)
    {
        var token = Next(field);
        if (token.Quoted || !Mnemonics.TryParseType(token.Text, out var value))
            throw Error($"{field} '{token.Text}' is not a record type", _index - 1);
        return value;
    }

    /// <summary>
    /// The remaining tokens joined: base64 and hex fields may be split by spaces (dig's default)
    /// or parentheses. Zero remaining tokens give an empty string.
    /// </summary>
    public string ReadRestJoined()
    {
        var builder = new StringBuilder();
        while (!AtEnd)
            builder.Append(tokens[_index++].Text);
        return builder.ToString();
    }

    public byte[] ReadHexRest(string field, bool allowEmpty)
    {
        int first = _index;
        string text = ReadRestJoined();
        if (text.Length == 0 && !allowEmpty)
            throw Error($"missing {field}", first);
        if (!BinaryText.TryDecodeHex(text, out var data))
            throw Error($"{field} '{text}' is not hexadecimal", first);
        return data;
    }

    public byte[] ReadBase64Rest(string field, bool allowEmpty)
    {
        int first = _index;
        string text = ReadRestJoined();
        if (text.Length == 0 && !allowEmpty)
            throw Error($"missing {field}", first);
        if (!BinaryText.TryDecodeBase64(text, out var data))
            throw Error($"{field} '{text}' is not base64", first);
        return data;
    }

    public void EnsureEnd()
    {
        if (!AtEnd)
            throw Error($"unexpected '{tokens[_index].Text}' after the RDATA", _index);
    }

    public DnsFormatException Error(string problem) => Error(problem, _index);

    public DnsFormatException Error(string problem, int tokenIndex) =>
        new(Mnemonics.TypeToText(Type) + ": " + problem, tokenIndex);

    /// <summary>
    /// Strict address text: IPv4 must be four dotted decimals (IPAddress.Parse would take "1" or
    /// "0x7f.1" as inet_aton does), IPv6 takes no zone index.
    /// </summary>
    public static bool TryParseAddress(string text, AddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        if (family == AddressFamily.InterNetwork && !IsDottedQuad(text))
            return false;
        if (family == AddressFamily.InterNetworkV6 && (text.Contains('%') || !text.Contains(':')))
            return false;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != family)
            return false;
        address = parsed;
        return true;
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
            return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return false;
        }
        return true;
    }
}
