using System.Globalization;

namespace Resolver.Protocol.Text;

/// <summary>The RFC 3597 §5 generic RDATA form: "\# length hex".</summary>
public static class GenericRdataText
{
    public static string Format(ReadOnlySpan<byte> data) =>
        data.Length == 0
            ? "\\# 0"
            : "\\# " + data.Length.ToString(CultureInfo.InvariantCulture) + " " + Convert.ToHexString(data);

    /// <summary>Parses the tokens after "\#": a length and hex (which may be split over several tokens).</summary>
    public static byte[] Parse(IReadOnlyList<string> tokensAfterMarker)
    {
        if (tokensAfterMarker.Count == 0 || !int.TryParse(tokensAfterMarker[0], NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            throw new DnsFormatException("\\# needs a decimal length", 0);
        string hex = string.Concat(tokensAfterMarker.Skip(1));
        byte[] data;
        try
        {
            data = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new DnsFormatException($"'{hex}' is not hexadecimal", 0);
        }
        if (data.Length != length)
            throw new DnsFormatException($"\\# says {length} octets but the hex holds {data.Length}", 0);
        return data;
    }
}
