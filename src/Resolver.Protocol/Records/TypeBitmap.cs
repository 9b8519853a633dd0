using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// The set of types present at a name, as NSEC and NSEC3 carry it (RFC 4034 §4.1.2): window
/// blocks of (window number, bitmap length 1-32, bitmap), windows in increasing order, no empty
/// blocks and no trailing zero octets. Only that canonical form is accepted, so one set has one
/// wire form and RDATA equality works.
/// </summary>
public sealed class TypeBitmap
{
    private readonly ushort[] _types;

    public TypeBitmap(IEnumerable<RecordType> types)
    {
        var set = new SortedSet<ushort>();
        foreach (var type in types)
            set.Add((ushort)type);
        _types = [.. set];
    }

    /// <summary>Types in increasing numeric order.</summary>
    public IReadOnlyList<ushort> Types => _types;

    public bool Contains(RecordType type) => Array.BinarySearch(_types, (ushort)type) >= 0;

    /// <summary>Reads window blocks up to the end of the reader's window (the end of the RDATA).</summary>
    public static TypeBitmap Read(ref DnsReader reader)
    {
        var types = new List<RecordType>();
        int previousWindow = -1;
        while (reader.Remaining > 0)
        {
            int blockStart = reader.Position;
            int window = reader.ReadByte();
            int length = reader.ReadByte();
            if (window <= previousWindow)
                throw new DnsFormatException($"type bitmap window {window} does not follow window {previousWindow}", blockStart);
            if (length is < 1 or > 32)
                throw new DnsFormatException($"type bitmap window {window} has length {length}, not 1 to 32", blockStart + 1);
            var bitmap = reader.ReadSpan(length, "type bitmap");
            if (bitmap[^1] == 0)
                throw new DnsFormatException($"type bitmap window {window} ends with a zero octet", blockStart + 1 + length);
            for (int i = 0; i < length; i++)
            {
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((bitmap[i] & (0x80 >> bit)) != 0)
                        types.Add((RecordType)(window * 256 + i * 8 + bit));
                }
            }
            previousWindow = window;
        }
        return new TypeBitmap(types);
    }

    /// <summary>Parses the remaining tokens as type mnemonics (TYPEnnn for unnamed types).</summary>
    internal static TypeBitmap ParseText(RdataTokenReader tokens)
    {
        var types = new List<RecordType>();
        while (!tokens.AtEnd)
            types.Add(tokens.ReadType("type in bitmap"));
        return new TypeBitmap(types);
    }

    public void WriteTo(ref DnsWriter writer)
    {
        Span<byte> bitmap = stackalloc byte[32];
        int i = 0;
        while (i < _types.Length)
        {
            int window = _types[i] >> 8;
            bitmap.Clear();
            int length = 0;
            for (; i < _types.Length && _types[i] >> 8 == window; i++)
            {
                int low = _types[i] & 0xFF;
                bitmap[low / 8] |= (byte)(0x80 >> (low % 8));
                length = low / 8 + 1;
            }
            writer.WriteByte((byte)window);
            writer.WriteByte((byte)length);
            writer.WriteBytes(bitmap[..length]);
        }
    }

    public string ToText()
    {
        var builder = new StringBuilder();
        foreach (ushort type in _types)
        {
            if (builder.Length > 0)
                builder.Append(' ');
            builder.Append(Mnemonics.TypeToText((RecordType)type));
        }
        return builder.ToString();
    }

    public override string ToString() => ToText();
}
