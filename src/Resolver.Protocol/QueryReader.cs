using System.Buffers.Binary;
using Resolver.Protocol.Names;

namespace Resolver.Protocol;

/// <summary>What the server's hot path needs from a query's OPT record (RFC 6891 §6.1.3).</summary>
public struct EdnsQueryInfo
{
    public bool Present;
    public ushort UdpPayloadSize;
    public byte Version;
    public bool DnssecOk;

    /// <summary>The OPT record carries a Padding option (RFC 7830): the client asks for a padded answer.</summary>
    public bool Padding;
}

/// <summary>Header, first question and EDNS of a message, read without allocating.</summary>
public struct QueryInfo
{
    public DnsHeader Header;

    /// <summary>Offset and length of the first question as it sits in the message (to echo it verbatim).</summary>
    public int QuestionOffset;
    public int QuestionLength;

    /// <summary>Length of the uncompressed question name written to the caller's buffer.</summary>
    public int NameLength;
    public RecordType Type;
    public RecordClass Class;
    public EdnsQueryInfo Edns;
}

/// <summary>
/// Reads the header and the question of a message into caller-owned storage, allocating
/// nothing. This is all a server needs to look up a cached answer; the rest of the message
/// is only walked to find the OPT record.
/// </summary>
public static class QueryReader
{
    /// <summary>
    /// Reads header, first question (name into <paramref name="nameBuffer"/>, at least 255 bytes)
    /// and the OPT record. A message with no question leaves <see cref="QueryInfo.NameLength"/> 0.
    /// Malformed input throws <see cref="DnsFormatException"/>.
    /// </summary>
    public static QueryInfo Read(ReadOnlySpan<byte> message, Span<byte> nameBuffer)
    {
        var info = new QueryInfo { Header = DnsHeader.Read(message), QuestionOffset = DnsHeader.Size };
        int position = DnsHeader.Size;
        for (int i = 0; i < info.Header.QuestionCount; i++)
        {
            int start = position;
            if (i == 0)
                info.NameLength = WireNameReader.Read(message, position, nameBuffer, out position);
            else
                position = WireNameReader.Skip(message, position);
            if (position + 4 > message.Length)
                throw new DnsFormatException("question type and class run past the end of the message", position);
            if (i == 0)
            {
                info.Type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
                info.Class = (RecordClass)BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
                info.QuestionLength = position + 4 - start;
            }
            position += 4;
        }
        int recordCount = info.Header.AnswerCount + info.Header.AuthorityCount;
        for (int i = 0; i < recordCount + info.Header.AdditionalCount; i++)
            position = ReadRecordForEdns(message, position, isAdditional: i >= recordCount, ref info.Edns);
        return info;
    }

    private static int ReadRecordForEdns(ReadOnlySpan<byte> message, int position, bool isAdditional, ref EdnsQueryInfo edns)
    {
        int start = position;
        bool rootOwner = position < message.Length && message[position] == 0;
        // The OPT owner is the root (one zero octet): nothing to decompress or validate.
        position = rootOwner ? position + 1 : WireNameReader.Skip(message, position);
        if (position + 10 > message.Length)
            throw new DnsFormatException("record header runs past the end of the message", position);
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        ushort rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
        if (position + 10 + rdLength > message.Length)
            throw new DnsFormatException($"RDATA of {rdLength} octets runs past the end of the message", position + 8);
        if (type == RecordType.OPT)
        {
            // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
            if (!isAdditional)
                throw new DnsFormatException("OPT record outside the additional section", start);
            if (edns.Present)
                throw new DnsFormatException("more than one OPT record", start);
            if (!rootOwner)
                throw new DnsFormatException("OPT record owner is not the root", start);
            edns.Present = true;
            edns.UdpPayloadSize = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
            edns.Version = message[position + 5];
            edns.DnssecOk = (message[position + 6] & 0x80) != 0;
            edns.Padding = Edns.MessagePadding.HasPadding(message.Slice(position + 10, rdLength));
        }
        return position + 10 + rdLength;
    }
}
