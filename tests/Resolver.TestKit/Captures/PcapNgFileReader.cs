using System.Buffers.Binary;

namespace Resolver.TestKit.Captures;

/// <summary>
/// Reads the packets of a pcapng file: Section Header, Interface Description,
/// Enhanced Packet and Simple Packet blocks; other blocks are skipped.
/// Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
/// </summary>
public static class PcapNgFileReader
{
    /// <summary>Block type of the Section Header Block (a palindrome, same in both byte orders).</summary>
    public const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionType = 0x00000001;
    private const uint SimplePacketType = 0x00000003;
    private const uint EnhancedPacketType = 0x00000006;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort TimestampResolutionOption = 9;

    private sealed record CaptureInterface(int LinkType, int SnapLength, long UnitsPerSecond);

    /// <summary>Every packet of the file, in file order.</summary>
    /// <exception cref="InvalidDataException">A block is malformed or cut short.</exception>
    public static IReadOnlyList<PcapFrame> ReadFrames(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var frames = new List<PcapFrame>();
        var interfaces = new List<CaptureInterface>();
        bool bigEndian = false;
        int offset = 0;
        while (offset < file.Length)
        {
            if (file.Length - offset < 12)
            {
                throw new InvalidDataException($"pcapng block at byte {offset} is cut short.");
            }

            uint type = ReadUInt32(file.AsSpan(offset), bigEndian);
            if (type == SectionHeaderType)
            {
                // Each section states its own byte order; interface ids restart.
                bigEndian = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8)) == ByteOrderMagic;
                interfaces.Clear();
            }

            int length = checked((int)ReadUInt32(file.AsSpan(offset + 4), bigEndian));
            if (length < 12 || length % 4 != 0 || length > file.Length - offset)
            {
                throw new InvalidDataException($"pcapng block at byte {offset} has bad length {length}.");
            }

            var body = file.AsSpan(offset + 8, length - 12);
            switch (type)
            {
                case InterfaceDescriptionType:
                    interfaces.Add(ReadInterface(body, bigEndian));
                    break;
                case EnhancedPacketType:
                    frames.Add(ReadEnhancedPacket(body, bigEndian, interfaces, frames.Count));
                    break;
                case SimplePacketType:
                    frames.Add(ReadSimplePacket(body, bigEndian, interfaces, frames.Count));
                    break;
            }

            offset += length;
        }

        return frames;
    }

    private static CaptureInterface ReadInterface(ReadOnlySpan<byte> body, bool bigEndian)
    {
        int linkType = ReadUInt16(body, bigEndian);
        int snapLength = (int)ReadUInt32(body[4..], bigEndian);
        long unitsPerSecond = 1_000_000;
        var options = body[8..];
        while (options.Length >= 4)
        {
            ushort code = ReadUInt16(options, bigEndian);
            int optionLength = ReadUInt16(options[2..], bigEndian);
            if (code == 0 || 4 + optionLength > options.Length)
            {
                break;
            }

            if (code == TimestampResolutionOption && optionLength >= 1)
            {
                // High bit set: a power of two; otherwise a power of ten.
                byte resolution = options[4];
                int exponent = resolution & 0x7F;
                unitsPerSecond = (resolution & 0x80) != 0 ? 1L << exponent : (long)Math.Pow(10, exponent);
            }

            options = options[Math.Min(options.Length, 4 + ((optionLength + 3) & ~3))..];
        }

        return new CaptureInterface(linkType, snapLength, unitsPerSecond);
    }

    private static PcapFrame ReadEnhancedPacket(ReadOnlySpan<byte> body, bool bigEndian, List<CaptureInterface> interfaces, int index)
    {
        var captureInterface = InterfaceAt(interfaces, (int)ReadUInt32(body, bigEndian), index);
        ulong units = ((ulong)ReadUInt32(body[4..], bigEndian) << 32) | ReadUInt32(body[8..], bigEndian);
        int capturedLength = (int)ReadUInt32(body[12..], bigEndian);
        if (capturedLength > body.Length - 20)
        {
            throw new InvalidDataException($"pcapng packet {index} claims {capturedLength} bytes, more than its block holds.");
        }

        var timestamp = ToTimestamp(units, captureInterface.UnitsPerSecond);
        return new PcapFrame(index, captureInterface.LinkType, timestamp, body.Slice(20, capturedLength).ToArray());
    }

    private static PcapFrame ReadSimplePacket(ReadOnlySpan<byte> body, bool bigEndian, List<CaptureInterface> interfaces, int index)
    {
        var captureInterface = InterfaceAt(interfaces, 0, index);
        int originalLength = (int)ReadUInt32(body, bigEndian);
        int capturedLength = Math.Min(originalLength, body.Length - 4);
        if (captureInterface.SnapLength > 0)
        {
            capturedLength = Math.Min(capturedLength, captureInterface.SnapLength);
        }

        // A Simple Packet Block has no timestamp.
        return new PcapFrame(index, captureInterface.LinkType, DateTimeOffset.UnixEpoch, body.Slice(4, capturedLength).ToArray());
    }

    private static CaptureInterface InterfaceAt(List<CaptureInterface> interfaces, int id, int index) =>
        id < interfaces.Count
            ? interfaces[id]
            : throw new InvalidDataException($"pcapng packet {index} names interface {id}, which was not described.");

    private static DateTimeOffset ToTimestamp(ulong units, long unitsPerSecond)
    {
        ulong seconds = units / (ulong)unitsPerSecond;
        ulong remainder = units % (ulong)unitsPerSecond;
        long ticks = (long)(remainder * (decimal)TimeSpan.TicksPerSecond / unitsPerSecond);
        return DateTimeOffset.FromUnixTimeSeconds((long)seconds).AddTicks(ticks);
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
}
