using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Resolver.Protocol.Records;

namespace Resolver.Protocol.Text;

/// <summary>
/// SvcParams in presentation form (RFC 9460 §2.1 and Appendix A): <c>key</c> or
/// <c>key=value</c>, the value a char-string that may be quoted. Lists (alpn, mandatory, hints)
/// are comma-separated; in alpn a comma or backslash inside an id is escaped with a backslash
/// after the char-string escapes are decoded (so "f\\,oo" in a zone file is the id "f,oo").
/// </summary>
public static class SvcParamText
{
    public static string KeyToText(SvcParamKey key) => key switch
    {
        SvcParamKey.Mandatory => "mandatory",
        SvcParamKey.Alpn => "alpn",
        SvcParamKey.NoDefaultAlpn => "no-default-alpn",
        SvcParamKey.Port => "port",
        SvcParamKey.Ipv4Hint => "ipv4hint",
        SvcParamKey.Ech => "ech",
        SvcParamKey.Ipv6Hint => "ipv6hint",
        SvcParamKey.DohPath => "dohpath",
        SvcParamKey.Ohttp => "ohttp",
        _ => "key" + ((ushort)key).ToString(CultureInfo.InvariantCulture),
    };

    public static bool TryParseKey(string text, out SvcParamKey key)
    {
        for (var known = SvcParamKey.Mandatory; known <= SvcParamKey.Ohttp; known++)
        {
            if (text == KeyToText(known))
            {
                key = known;
                return true;
            }
        }
        // RFC 9460 §2.1: "key" followed by the decimal number, for any key.
        if (text.StartsWith("key", StringComparison.Ordinal)
            && ushort.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out ushort number))
        {
            key = (SvcParamKey)number;
            return true;
        }
        key = default;
        return false;
    }

    public static void Append(StringBuilder builder, SvcParam parameter)
    {
        builder.Append(KeyToText(parameter.Key));
        var value = parameter.Value;
        switch (parameter.Key)
        {
            case SvcParamKey.NoDefaultAlpn or SvcParamKey.Ohttp:
                return;
            case SvcParamKey.Mandatory:
                builder.Append('=');
                for (int i = 0; i < value.Length; i += 2)
                    builder.Append(i == 0 ? "" : ",").Append(KeyToText((SvcParamKey)BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(i))));
                return;
            case SvcParamKey.Alpn:
                builder.Append('=');
                CharacterStringText.AppendQuoted(builder, EscapeAlpnList(value));
                return;
            case SvcParamKey.Port:
                builder.Append('=').Append(BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture));
                return;
            case SvcParamKey.Ipv4Hint or SvcParamKey.Ipv6Hint:
                int size = parameter.Key == SvcParamKey.Ipv4Hint ? 4 : 16;
                builder.Append('=');
                for (int i = 0; i < value.Length; i += size)
                    builder.Append(i == 0 ? "" : ",").Append(new IPAddress(value.AsSpan(i, size)).ToString());
                return;
            case SvcParamKey.Ech:
                builder.Append('=').Append(Convert.ToBase64String(value));
                return;
            default:
                if (value.Length > 0 || parameter.Key == SvcParamKey.DohPath)
                {
                    builder.Append('=');
                    CharacterStringText.AppendQuoted(builder, value);
                }
                return;
        }
    }

    /// <summary>Reads one "key[=value]" token.</summary>
    internal static SvcParam Parse(RdataTokenReader tokens)
    {
        var token = tokens.Next("SvcParam");
        string text = token.Text;
        int equals = text.IndexOf('=');
        string keyText = equals < 0 ? text : text[..equals];
        if (token.Quoted || !TryParseKey(keyText, out var key))
            throw tokens.Error($"'{text}' is not a SvcParam key");
        if (key == SvcParamKey.Invalid)
            throw tokens.Error("key65535 is reserved as invalid");
        byte[]? raw = equals < 0 ? null : DecodeValue(tokens, text, text[(equals + 1)..]);
        try
        {
            var value = ToWire(key, raw);
            string? problem = SvcParam.FindProblem(key, value);
            if (problem is not null)
                throw tokens.Error($"'{text}': {problem}");
            return new SvcParam(key, value);
        }
        catch (FormatException e)
        {
            throw tokens.Error($"'{text}': {e.Message}");
        }
    }

    /// <summary>Checks that need the whole set: no repeats, mandatory keys present (RFC 9460 §8), alpn with no-default-alpn (§7.1.1).</summary>
    internal static string? FindSetProblem(List<SvcParam> sorted)
    {
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Key == sorted[i - 1].Key)
                return $"SvcParam {KeyToText(sorted[i].Key)} appears twice";
        }
        var mandatory = sorted.Find(p => p.Key == SvcParamKey.Mandatory);
        if (mandatory is not null)
        {
            for (int i = 0; i < mandatory.Value.Length; i += 2)
            {
                var key = (SvcParamKey)BinaryPrimitives.ReadUInt16BigEndian(mandatory.Value.AsSpan(i));
                if (!sorted.Exists(p => p.Key == key))
                    return $"mandatory lists {KeyToText(key)}, which the record does not have";
            }
        }
        if (sorted.Exists(p => p.Key == SvcParamKey.NoDefaultAlpn) && !sorted.Exists(p => p.Key == SvcParamKey.Alpn))
            return "no-default-alpn without alpn";
        return null;
    }

    private static byte[] DecodeValue(RdataTokenReader tokens, string token, string value)
    {
        if (value.StartsWith('"'))
        {
            if (value.Length < 2 || !value.EndsWith('"'))
                throw tokens.Error($"'{token}': quoted value is not closed");
            value = value[1..^1];
        }
        try
        {
            return EscapedText.Decode(value);
        }
        catch (DnsFormatException e)
        {
            throw tokens.Error($"'{token}': {e.Problem}");
        }
    }

    private static byte[] ToWire(SvcParamKey key, byte[]? raw)
    {
        if (raw is null)
        {
            return key is SvcParamKey.NoDefaultAlpn or SvcParamKey.Ohttp || (int)key > (int)SvcParamKey.Ohttp
                ? []
                : throw new FormatException("value is required");
        }
        switch (key)
        {
            case SvcParamKey.NoDefaultAlpn or SvcParamKey.Ohttp:
                throw new FormatException("takes no value");
            case SvcParamKey.Mandatory:
                return MandatoryToWire(raw);
            case SvcParamKey.Alpn:
                return AlpnToWire(raw);
            case SvcParamKey.Port:
                if (!ushort.TryParse(Encoding.ASCII.GetString(raw), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
                    throw new FormatException("port is not a number from 0 to 65535");
                return [(byte)(port >> 8), (byte)port];
            case SvcParamKey.Ipv4Hint or SvcParamKey.Ipv6Hint:
                return HintsToWire(raw, key == SvcParamKey.Ipv4Hint ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);
            case SvcParamKey.Ech:
                return BinaryText.TryDecodeBase64(Encoding.ASCII.GetString(raw), out var ech) && ech.Length > 0
                    ? ech
                    : throw new FormatException("ech is not base64");
            default:
                return raw;
        }
    }

    private static byte[] MandatoryToWire(byte[] raw)
    {
        var keys = new List<ushort>();
        foreach (var name in Encoding.ASCII.GetString(raw).Split(','))
        {
            if (!TryParseKey(name, out var key))
                throw new FormatException($"mandatory lists '{name}', which is not a key");
            if (keys.Contains((ushort)key))
                throw new FormatException($"mandatory lists {name} twice");
            keys.Add((ushort)key);
        }
        keys.Sort();
        var wire = new byte[keys.Count * 2];
        for (int i = 0; i < keys.Count; i++)
            BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(i * 2), keys[i]);
        return wire;
    }

    private static byte[] HintsToWire(byte[] raw, AddressFamily family)
    {
        using var wire = new MemoryStream();
        foreach (var item in Encoding.ASCII.GetString(raw).Split(','))
        {
            if (!RdataTokenReader.TryParseAddress(item, family, out var address))
                throw new FormatException($"'{item}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
            wire.Write(address.GetAddressBytes());
        }
        return wire.ToArray();
    }

    /// <summary>Splits the decoded value on unescaped commas; "\," and "\\" stand for a comma and a backslash.</summary>
    private static byte[] AlpnToWire(byte[] raw)
    {
        var wire = new List<byte>(raw.Length + 1);
        var id = new List<byte>();
        for (int i = 0; i <= raw.Length; i++)
        {
            if (i == raw.Length || raw[i] == ',')
            {
                if (id.Count is 0 or > 255)
                    throw new FormatException("alpn protocol id must be 1 to 255 octets");
                wire.Add((byte)id.Count);
                wire.AddRange(id);
                id.Clear();
                continue;
            }
            if (raw[i] == '\\' && i + 1 < raw.Length)
                i++;
            id.Add(raw[i]);
        }
        return wire.ToArray();
    }

    private static byte[] EscapeAlpnList(byte[] value)
    {
        var text = new List<byte>(value.Length + 4);
        int position = 0;
        while (position < value.Length)
        {
            if (position > 0)
                text.Add((byte)',');
            int length = value[position];
            foreach (byte octet in value.AsSpan(position + 1, length))
            {
                if (octet is (byte)',' or (byte)'\\')
                    text.Add((byte)'\\');
                text.Add(octet);
            }
            position += 1 + length;
        }
        return text.ToArray();
    }
}
