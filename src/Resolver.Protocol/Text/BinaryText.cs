using System.Text;

namespace Resolver.Protocol.Text;

/// <summary>
/// Hex and base64 fields in presentation form. dig prints them in chunks of 56 characters
/// separated by a space (its default "+split=56"); <see cref="Decode"/> accepts that form and
/// the unsplit one ("+nosplit"), since a parser sees the chunks as several tokens to join.
/// </summary>
public static class BinaryText
{
    /// <summary>dig's default split width.</summary>
    public const int ChunkLength = 56;

    public static string Hex(ReadOnlySpan<byte> data) => Split(Convert.ToHexString(data));

    public static string Base64(ReadOnlySpan<byte> data) => Split(Convert.ToBase64String(data));

    public static string Split(string encoded)
    {
        if (encoded.Length <= ChunkLength)
            return encoded;
        var builder = new StringBuilder(encoded.Length + encoded.Length / ChunkLength);
        for (int i = 0; i < encoded.Length; i += ChunkLength)
        {
            if (i > 0)
                builder.Append(' ');
            builder.Append(encoded, i, Math.Min(ChunkLength, encoded.Length - i));
        }
        return builder.ToString();
    }

    /// <summary>Decodes hex; false when the text is not an even number of hex digits.</summary>
    public static bool TryDecodeHex(string text, out byte[] data)
    {
        data = [];
        if (text.Length % 2 != 0)
            return false;
        data = new byte[text.Length / 2];
        return Convert.FromHexString(text, data, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == data.Length;
    }

    public static bool TryDecodeBase64(string text, out byte[] data)
    {
        data = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, data, out int written))
            return false;
        data = data[..written];
        return true;
    }
}
