using System.Text;
using Resolver.Core.Cache;

namespace Resolver.Core.SharedCache;

/// <summary>
/// The Redis key of a cache key: prefix, then the lower-cased name in presentation form, type, class and the DO/CD
/// bits, e.g. <c>resolver:www.example.|1|1|do</c>. Readable in redis-cli on purpose (an operator can look an entry
/// up or delete it); octets other than letters, digits, '-' and '_' are written \DDD (RFC 1035 §5.1), so two
/// different names never share a key.
/// </summary>
public static class SharedCacheKey
{
    public static byte[] For(CacheKey key, string prefix)
    {
        var text = new StringBuilder(prefix.Length + key.Name.Length + 16);
        text.Append(prefix);
        AppendName(text, key.Name);
        text.Append('|').Append((ushort)key.Type).Append('|').Append((ushort)key.Class);
        if (key.DnssecOk)
            text.Append("|do");
        if (key.CheckingDisabled)
            text.Append("|cd");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void AppendName(StringBuilder text, ReadOnlySpan<byte> name)
    {
        int position = 0;
        while (position < name.Length && name[position] != 0)
        {
            int length = name[position];
            foreach (byte octet in name.Slice(position + 1, length))
            {
                if (octet is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_')
                    text.Append((char)octet);
                else
                    text.Append('\\').Append(octet.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
            text.Append('.');
            position += 1 + length;
        }
        if (position == 0)
            text.Append('.');
    }
}
