namespace Resolver.Protocol.Records;

/// <summary>
/// One SvcParam of an SVCB/HTTPS record (RFC 9460 §2.2): a key and its wire-format value.
/// Values of the keys RFC 9460, RFC 9461 and RFC 9540 define are checked on construction.
/// </summary>
public sealed class SvcParam
{
    public SvcParam(SvcParamKey key, byte[] value)
    {
        string? problem = FindProblem(key, value);
        if (problem is not null)
            throw new ArgumentException(problem, nameof(value));
        Key = key;
        Value = value;
    }

    public SvcParamKey Key { get; }

    public byte[] Value { get; }

    /// <summary>Why <paramref name="value"/> is not a valid wire value for <paramref name="key"/>, or null.</summary>
    public static string? FindProblem(SvcParamKey key, ReadOnlySpan<byte> value) => key switch
    {
        SvcParamKey.Invalid => "key65535 is reserved as invalid",
        SvcParamKey.Mandatory => CheckMandatory(value),
        SvcParamKey.Alpn => CheckAlpn(value),
        SvcParamKey.NoDefaultAlpn or SvcParamKey.Ohttp => value.Length == 0 ? null : $"{key} must have an empty value",
        SvcParamKey.Port => value.Length == 2 ? null : $"port value must be 2 octets, not {value.Length}",
        SvcParamKey.Ipv4Hint => value.Length > 0 && value.Length % 4 == 0 ? null : $"ipv4hint value of {value.Length} octets is not a list of IPv4 addresses",
        SvcParamKey.Ipv6Hint => value.Length > 0 && value.Length % 16 == 0 ? null : $"ipv6hint value of {value.Length} octets is not a list of IPv6 addresses",
        SvcParamKey.Ech => value.Length > 0 ? null : "ech value is empty",
        _ => null,
    };

    // RFC 9460 §8: keys in strictly increasing order, not "mandatory" itself.
    private static string? CheckMandatory(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || value.Length % 2 != 0)
            return $"mandatory value of {value.Length} octets is not a list of keys";
        int previous = -1;
        for (int i = 0; i < value.Length; i += 2)
        {
            int key = (value[i] << 8) | value[i + 1];
            if (key == (int)SvcParamKey.Mandatory)
                return "mandatory lists itself";
            if (key <= previous)
                return "mandatory keys are not in strictly increasing order";
            previous = key;
        }
        return null;
    }

    // RFC 9460 §7.1.1: a non-empty sequence of non-empty length-prefixed ALPN ids.
    private static string? CheckAlpn(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0)
            return "alpn value is empty";
        int position = 0;
        while (position < value.Length)
        {
            int length = value[position];
            if (length == 0)
                return "alpn holds an empty protocol id";
            if (position + 1 + length > value.Length)
                return "alpn protocol id runs past the value";
            position += 1 + length;
        }
        return null;
    }
}
