using System.Buffers.Binary;

namespace Resolver.TestKit.Captures;

/// <summary>
/// Reads the frames of a capture file: classic libpcap format (either byte
/// order, micro- or nanosecond timestamps) or pcapng, told apart by the magic
/// number. Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
/// </summary>
public static class PcapFileReader
{
    private const uint MicrosecondMagic = 0xA1B2C3D4;
    private const uint NanosecondMagic = 0xA1B23C4D;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    /// <summary>Every frame of the file, in file order.</summary>
    /// <exception cref="InvalidDataException">The file is neither pcap nor pcapng, or is cut short.</exception>
    public static IReadOnlyList<PcapFrame> ReadFrames(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(file) == PcapNgFileReader.SectionHeaderType)
        {
            return PcapNgFileReader.ReadFrames(file);
        }

        return ReadClassic(file);
    }

    private static List<PcapFrame> ReadClassic(byte[] file)
    {
        if (file.Length < FileHeaderLength)
        {
            throw new InvalidDataException($"A pcap file needs a {FileHeaderLength}-byte header; this one has {file.Length} bytes.");
        }

        var (bigEndian, nanoseconds) = ReadMagic(file);
        // The link type is the low 16 bits; the upper bits may carry FCS information.
        int linkType = (int)(ReadUInt32(file.AsSpan(20), bigEndian) & 0xFFFF);
        var frames = new List<PcapFrame>();
        int offset = FileHeaderLength;
        while (offset < file.Length)
        {
            if (file.Length - offset < RecordHeaderLength)
            {
                throw new InvalidDataException($"Record header of frame {frames.Count} at byte {offset} is cut short.");
            }

            var header = file.AsSpan(offset, RecordHeaderLength);
            long seconds = ReadUInt32(header, bigEndian);
            long fraction = ReadUInt32(header[4..], bigEndian);
            int capturedLength = checked((int)ReadUInt32(header[8..], bigEndian));
            offset += RecordHeaderLength;
            if (capturedLength > file.Length - offset)
            {
                throw new InvalidDataException($"Frame {frames.Count} claims {capturedLength} bytes but the file ends first.");
            }

            long ticks = nanoseconds ? fraction / 100 : fraction * 10;
            var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
            frames.Add(new PcapFrame(frames.Count, linkType, timestamp, file.AsSpan(offset, capturedLength).ToArray()));
            offset += capturedLength;
        }

        return frames;
    }

    private static (bool BigEndian, bool Nanoseconds) ReadMagic(byte[] file)
    {
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(file);
        uint big = BinaryPrimitives.ReadUInt32BigEndian(file);
        return (little, big) switch
        {
            (MicrosecondMagic, _) => (false, false),
            (NanosecondMagic, _) => (false, true),
            (_, MicrosecondMagic) => (true, false),
            (_, NanosecondMagic) => (true, true),
            _ => throw new InvalidDataException($"Not a pcap or pcapng file (magic {big:X8})."),
        };
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
