using System.Buffers.Binary;

namespace Resolver.Protocol.Wire;

/// <summary>
/// Writes a message into a caller's span. When the span is too small the writer stops and
/// sets <see cref="Overflowed"/> instead of throwing, so a server can answer with TC=1.
/// Name compression (RFC 1035 §4.1.4) keeps the offsets of names already written in a small
/// caller-provided table and finds suffix matches (case-sensitively) by comparing against the output itself.
/// </summary>
public ref struct DnsWriter
{
    // Offsets must fit the 14-bit pointer field.
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _nameOffsets;
    private int _nameCount;

    public DnsWriter(Span<byte> buffer, Span<ushort> compressionTable)
    {
        _buffer = buffer;
        _nameOffsets = compressionTable;
        _nameCount = 0;
        Position = 0;
        Overflowed = false;
    }

    public int Position { get; private set; }

    /// <summary>True once any write did not fit; later writes are ignored.</summary>
    public bool Overflowed { get; private set; }

    public readonly Span<byte> Written => _buffer[..Position];

    public void WriteByte(byte value)
    {
        if (!Reserve(1))
            return;
        _buffer[Position++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        if (!Reserve(2))
            return;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        if (!Reserve(4))
            return;
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!Reserve(bytes.Length))
            return;
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    /// <summary>A character-string: length octet then data (at most 255 octets).</summary>
    public void WriteCharacterString(scoped ReadOnlySpan<byte> text)
    {
        if (text.Length > 255)
            throw new ArgumentException("character-string longer than 255 octets", nameof(text));
        WriteByte((byte)text.Length);
        WriteBytes(text);
    }

    /// <summary>Reserves a 16-bit slot (e.g. RDLENGTH) and returns its offset for <see cref="PatchUInt16"/>.</summary>
    public int ReserveUInt16()
    {
        int at = Position;
        WriteUInt16(0);
        return at;
    }

    public readonly void PatchUInt16(int offset, ushort value)
    {
        if (offset + 2 <= Position)
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[offset..], value);
    }

    /// <summary>Writes a name, compressed against names written before when <paramref name="compress"/>.</summary>
    public void WriteName(DnsName name, bool compress = true)
    {
        ReadOnlySpan<byte> wire = name.Wire;
        int position = 0;
        while (wire[position] != 0)
        {
            ReadOnlySpan<byte> suffix = wire[position..];
            if (compress)
            {
                int match = FindSuffix(suffix);
                if (match >= 0)
                {
                    WriteUInt16((ushort)(0xC000 | match));
                    return;
                }
            }
            if (compress && Position <= MaxPointerOffset)
                Remember(Position);
            int labelLength = wire[position];
            WriteBytes(wire.Slice(position, 1 + labelLength));
            position += 1 + labelLength;
        }
        WriteByte(0);
    }

    private void Remember(int offset)
    {
        if (_nameCount < _nameOffsets.Length && !Overflowed)
            _nameOffsets[_nameCount++] = (ushort)offset;
    }

    private readonly int FindSuffix(ReadOnlySpan<byte> suffix)
    {
        for (int i = 0; i < _nameCount; i++)
        {
            if (SuffixMatchesAt(suffix, _nameOffsets[i]))
                return _nameOffsets[i];
        }
        return -1;
    }

    /// <summary>Compares an uncompressed suffix with the (possibly compressed) name already in the output.</summary>
    private readonly bool SuffixMatchesAt(ReadOnlySpan<byte> suffix, int offset)
    {
        int s = 0;
        int o = offset;
        for (int hops = 0; hops < 128;)
        {
            // Only octets already written count: past Position lie stale bytes, and a match
            // there (a name whose last labels repeat, "a.a.") would point the name at itself.
            if (o >= Position)
                return false;
            byte length = _buffer[o];
            if ((length & 0xC0) == 0xC0)
            {
                o = ((length & 0x3F) << 8) | _buffer[o + 1];
                hops++;
                continue;
            }
            if (suffix[s] != length)
                return false;
            if (length == 0)
                return true;
            // Exact comparison: compressing "Example" onto "example" would change the case the
            // reader sees, and names must reach clients with the case they were given.
            if (!suffix.Slice(s + 1, length).SequenceEqual(_buffer.Slice(o + 1, length)))
                return false;
            s += 1 + length;
            o += 1 + length;
        }
        return false;
    }

    private bool Reserve(int count)
    {
        if (Overflowed)
            return false;
        if (Position + count > _buffer.Length)
        {
            Overflowed = true;
            return false;
        }
        return true;
    }
}
