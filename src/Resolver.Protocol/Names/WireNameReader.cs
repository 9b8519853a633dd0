namespace Resolver.Protocol.Names;

/// <summary>
/// Reads a possibly compressed name from a message into its uncompressed wire form
/// (RFC 1035 §4.1.4) without allocating.
/// </summary>
public static class WireNameReader
{
    /// <summary>Longest name on the wire, terminating zero included (RFC 1035 §2.3.4).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    // Each hop must go strictly backwards, so a loop is impossible; the bound only caps work
    // on hostile input (a 255-byte name has at most 127 labels, so 127 hops is plenty).
    private const int MaxPointerHops = 127;

    /// <summary>
    /// Decompresses the name at <paramref name="offset"/> into <paramref name="destination"/>
    /// (at least 255 bytes). Returns the uncompressed length (terminating zero included);
    /// <paramref name="next"/> is the offset just after the name as it sits in the message.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> message, int offset, Span<byte> destination, out int next)
    {
        int written = 0;
        int position = offset;
        int hops = 0;
        next = -1;
        // Pointers must point before the start of the name being read: forward pointers
        // (and self pointers) are rejected, which also rules out loops.
        int lowestStart = offset;

        while (true)
        {
            if ((uint)position >= (uint)message.Length)
                throw new DnsFormatException("name runs past the end of the message", position);

            byte length = message[position];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (length == 0)
                    {
                        if (written + 1 > MaxNameLength)
                            throw new DnsFormatException("name is longer than 255 octets", position);
                        destination[written++] = 0;
                        if (next < 0)
                            next = position + 1;
                        return written;
                    }
                    if (position + 1 + length > message.Length)
                        throw new DnsFormatException("label runs past the end of the message", position);
                    if (written + 1 + length + 1 > MaxNameLength)
                        throw new DnsFormatException("name is longer than 255 octets", position);
                    message.Slice(position, 1 + length).CopyTo(destination[written..]);
                    written += 1 + length;
                    position += 1 + length;
                    break;

                case 0xC0:
                    if (position + 1 >= message.Length)
                        throw new DnsFormatException("compression pointer runs past the end of the message", position);
                    int target = ((length & 0x3F) << 8) | message[position + 1];
                    if (next < 0)
                        next = position + 2;
                    if (target >= lowestStart)
                        throw new DnsFormatException($"compression pointer to {target} does not point backwards", position);
                    if (++hops > MaxPointerHops)
                        throw new DnsFormatException("too many compression pointers", position);
                    lowestStart = target;
                    position = target;
                    break;

                default:
                    // 0x40 and 0x80: extended label types (RFC 6891 §5) are not in use.
                    throw new DnsFormatException($"label type 0x{length & 0xC0:X2} is not supported (label longer than 63?)", position);
            }
        }
    }

    /// <summary>Returns the offset just after the name at <paramref name="offset"/>, validating it fully.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset)
    {
        Span<byte> scratch = stackalloc byte[MaxNameLength];
        Read(message, offset, scratch, out int next);
        return next;
    }
}
