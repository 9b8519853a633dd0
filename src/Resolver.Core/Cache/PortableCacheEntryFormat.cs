using System.Buffers.Binary;
using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Cache;

/// <summary>
/// The byte form of one <see cref="PortableCacheEntry"/>, shared by the snapshot file and the Redis values, so both
/// carry exactly what the cache keeps. Big-endian, self-delimiting, versioned by its first octet:
/// <code>
/// u8 version (1) | u8 kind | u8 flags (1 AD, 2 DO, 4 CD) | u16 type | u16 class | u32 ttl
/// i64 storedAt | i64 freshUntil | i64 staleUntil (Unix milliseconds)
/// u8 name length | name (lower-cased wire form) | u16 wire length | wire
/// </code>
/// Reading checks only the framing; whether the entry is sane for this cache is
/// <see cref="ResponseCache.Import(PortableCacheEntry)"/>'s business.
/// </summary>
public static class PortableCacheEntryFormat
{
    public const byte Version = 1;

    private const int FixedLength = 1 + 1 + 1 + 2 + 2 + 4 + 8 * 3 + 1 + 2;
    private const byte AuthenticDataFlag = 1;
    private const byte DnssecOkFlag = 2;
    private const byte CheckingDisabledFlag = 4;

    /// <summary>Octets <see cref="Write"/> needs for <paramref name="entry"/>.</summary>
    public static int LengthOf(PortableCacheEntry entry) => FixedLength + entry.Key.Name.Length + entry.Wire.Length;

    /// <summary>Writes the entry at the start of <paramref name="destination"/> and returns the length written.</summary>
    public static int Write(PortableCacheEntry entry, Span<byte> destination)
    {
        var name = entry.Key.Name;
        destination[0] = Version;
        destination[1] = (byte)entry.Kind;
        destination[2] = (byte)((entry.AuthenticData ? AuthenticDataFlag : 0) | (entry.Key.DnssecOk ? DnssecOkFlag : 0)
            | (entry.Key.CheckingDisabled ? CheckingDisabledFlag : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)entry.Key.Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], (ushort)entry.Key.Class);
        BinaryPrimitives.WriteUInt32BigEndian(destination[7..], entry.Ttl);
        BinaryPrimitives.WriteInt64BigEndian(destination[11..], entry.StoredAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(destination[19..], entry.FreshUntil.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(destination[27..], entry.StaleUntil.ToUnixTimeMilliseconds());
        destination[35] = (byte)name.Length;
        name.CopyTo(destination[36..]);
        int position = 36 + name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)entry.Wire.Length);
        entry.Wire.CopyTo(destination[(position + 2)..]);
        return position + 2 + entry.Wire.Length;
    }

    /// <summary>The entry as a new array (for a Redis value).</summary>
    public static byte[] ToArray(PortableCacheEntry entry)
    {
        var bytes = new byte[LengthOf(entry)];
        Write(entry, bytes);
        return bytes;
    }

    /// <summary>
    /// Reads one entry from the start of <paramref name="source"/>. False (with <paramref name="error"/>) when the bytes
    /// are cut short, of another version, or carry an impossible name or kind; never throws for bad input.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PortableCacheEntry? entry, out int consumed, out string? error)
    {
        entry = null;
        consumed = 0;
        if (source.Length < FixedLength)
            return Fail("entry cut short", out error);
        if (source[0] != Version)
            return Fail($"entry format version {source[0]}, expected {Version}", out error);
        var kind = (CachedResponseKind)source[1];
        if (kind is not (CachedResponseKind.Answer or CachedResponseKind.Negative or CachedResponseKind.ServerFailure))
            return Fail($"unknown entry kind {source[1]}", out error);
        byte flags = source[2];
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(source[3..]);
        var recordClass = (RecordClass)BinaryPrimitives.ReadUInt16BigEndian(source[5..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(source[7..]);
        if (!TryTime(BinaryPrimitives.ReadInt64BigEndian(source[11..]), out var storedAt)
            || !TryTime(BinaryPrimitives.ReadInt64BigEndian(source[19..]), out var freshUntil)
            || !TryTime(BinaryPrimitives.ReadInt64BigEndian(source[27..]), out var staleUntil))
            return Fail("entry time out of range", out error);
        int nameLength = source[35];
        if (source.Length < FixedLength + nameLength)
            return Fail("entry cut short", out error);
        var name = source.Slice(36, nameLength);
        if (!IsPlainWireName(name))
            return Fail("entry name is not an uncompressed wire name", out error);
        int position = 36 + nameLength;
        int wireLength = BinaryPrimitives.ReadUInt16BigEndian(source[position..]);
        position += 2;
        if (source.Length < position + wireLength)
            return Fail("entry cut short", out error);
        var key = CacheKey.Create(name, type, recordClass, (flags & DnssecOkFlag) != 0, (flags & CheckingDisabledFlag) != 0);
        entry = new PortableCacheEntry(key, source.Slice(position, wireLength).ToArray(), kind, (flags & AuthenticDataFlag) != 0, ttl,
            storedAt, freshUntil, staleUntil);
        consumed = position + wireLength;
        error = null;
        return true;
    }

    /// <summary>Labels of 1..63 octets ending in the root label, at most 255 octets in all (RFC 1035 §3.1).</summary>
    internal static bool IsPlainWireName(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > WireNameReader.MaxNameLength)
            return false;
        int position = 0;
        while (position < name.Length)
        {
            int label = name[position];
            if (label == 0)
                return position == name.Length - 1;
            if (label > 63)
                return false;
            position += 1 + label;
        }
        return false;
    }

    private static bool TryTime(long unixMilliseconds, out DateTimeOffset time)
    {
        // Years 1970..9999 only: anything else is not a time this cache ever wrote.
        if (unixMilliseconds is < 0 or > 253_402_300_799_999)
        {
            time = default;
            return false;
        }
        time = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
