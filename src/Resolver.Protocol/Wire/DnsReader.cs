using System.Buffers.Binary;
using Resolver.Protocol.Names;

namespace Resolver.Protocol.Wire;

/// <summary>
/// A bounds-checked cursor over a whole message. <see cref="End"/> limits reads (so RDATA
/// parsing cannot run into the next record) while names may still point anywhere backwards
/// in the message. Every failure is a <see cref="DnsFormatException"/> with the offset.
/// </summary>
public ref struct DnsReader
{
    private readonly ReadOnlySpan<byte> _message;
    private RecentNames _recentNames;

    public DnsReader(ReadOnlySpan<byte> message, int position = 0)
    {
        _message = message;
        Position = position;
        End = message.Length;
    }

    public int Position { get; set; }

    /// <summary>Reads stop here; set to the end of the RDATA while a record's data is read.</summary>
    public int End { get; set; }

    public readonly int Remaining => End - Position;

    public readonly ReadOnlySpan<byte> Message => _message;

    public byte ReadByte()
    {
        Need(1, "octet");
        return _message[Position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "16-bit field");
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4, "32-bit field");
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadSpan(int length, string what = "data")
    {
        if (length < 0)
            throw new DnsFormatException($"negative length for {what}", Position);
        Need(length, what);
        var span = _message.Slice(Position, length);
        Position += length;
        return span;
    }

    public byte[] ReadBytes(int length, string what = "data") => ReadSpan(length, what).ToArray();

    /// <summary>Reads the rest of the current window (up to <see cref="End"/>).</summary>
    public byte[] ReadToEnd() => ReadBytes(Remaining);

    /// <summary>A character-string: one length octet then that many octets (RFC 1035 §3.3).</summary>
    public byte[] ReadCharacterString()
    {
        int length = ReadByte();
        return ReadBytes(length, "character-string");
    }

    /// <summary>Reads a possibly compressed name; it must end inside the current window.</summary>
    public DnsName ReadName()
    {
        int start = Position;
        int key = start;
        if (start + 1 < End && (_message[start] & 0xC0) == 0xC0)
        {
            key = ((_message[start] & 0x3F) << 8) | _message[start + 1];
            if (key < start && _recentNames.Find(key) is { } known)
            {
                Position = start + 2;
                return known;
            }
        }
        Span<byte> buffer = stackalloc byte[WireNameReader.MaxNameLength];
        int length = WireNameReader.Read(_message[..End], start, buffer, out int next);
        Position = next;
        var name = DnsName.FromWire(buffer[..length]);
        _recentNames.Add(key, name);
        return name;
    }

    /// <summary>
    /// Reads <paramref name="name"/> when the message holds it here uncompressed and octet for
    /// octet (case included), sharing the object instead of building a copy; false (position
    /// unchanged) otherwise. Identical octets form the same valid name, so nothing is skipped.
    /// </summary>
    public bool TryReadExactName(DnsName name)
    {
        var wire = name.Wire;
        int start = Position;
        if (End - start < wire.Length || !_message.Slice(start, wire.Length).SequenceEqual(wire))
            return false;
        Position = start + wire.Length;
        _recentNames.Add(start, name);
        return true;
    }

    /// <summary>Reads a name that must not be compressed (names in RDATA of post-1035 types, RFC 3597 §4).</summary>
    public DnsName ReadUncompressedName()
    {
        int start = Position;
        Span<byte> buffer = stackalloc byte[WireNameReader.MaxNameLength];
        // Limiting the visible message to the window and starting the "lowest" at the name
        // itself rejects any pointer: a pointer inside this name would have to point backwards
        // to bytes before it, which we refuse here explicitly.
        int length = WireNameReader.Read(_message[..End], start, buffer, out int next);
        if (next - start != length)
            throw new DnsFormatException("compressed name where compression is not allowed", start);
        Position = next;
        return DnsName.FromWire(buffer[..length]);
    }

    private readonly void Need(int count, string what)
    {
        if (Position + count > End)
            throw new DnsFormatException($"{what} runs past the end of {(End == _message.Length ? "the message" : "the RDATA")}", Position);
    }
}
