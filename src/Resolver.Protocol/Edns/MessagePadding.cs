using System.Buffers.Binary;
using Resolver.Protocol.Names;

namespace Resolver.Protocol.Edns;

/// <summary>
/// EDNS(0) padding (RFC 7830) of a message that is already written, in place and without allocating: a Padding
/// option is appended to the message's OPT record so that the whole message is a multiple of a block. An encrypted
/// transport hides the question and answer, not their sizes; padding to blocks (RFC 8467 §4.1: 128 octets for
/// queries, 468 for responses) leaves an observer a handful of size classes instead of a fingerprint of each name.
/// </summary>
public static class MessagePadding
{
    /// <summary>RFC 8467 §4.1's recommended block for queries.</summary>
    public const int QueryBlock = 128;

    /// <summary>RFC 8467 §4.1's recommended block for responses.</summary>
    public const int ResponseBlock = 468;

    // Option code and option length.
    private const int OptionHeaderLength = 4;

    // Owner (the root, one octet), TYPE, CLASS, TTL: the OPT record's octets before its RDLENGTH.
    private const int OptRdLengthOffset = 9;

    /// <summary>
    /// Pads the message in <c>buffer[..length]</c> to a multiple of <paramref name="block"/> and returns its new
    /// length. The message is left as it is (the same length returned) when it has no OPT record as its last record
    /// (only that one can grow without moving the others), already carries a Padding option, is not well formed, or
    /// the padded message would not fit <paramref name="buffer"/> or a DNS message's 65,535 octets.
    /// </summary>
    public static int Pad(Span<byte> buffer, int length, int block)
    {
        if (block <= 0 || length < DnsHeader.Size || length > buffer.Length)
            return length;
        var message = (ReadOnlySpan<byte>)buffer[..length];
        int opt;
        try
        {
            opt = FindTrailingOpt(message);
        }
        catch (DnsFormatException)
        {
            // Only a writer's bug gets here; padding is a privacy measure, never a reason to lose the answer.
            return length;
        }
        if (opt < 0 || HasPadding(message[(opt + OptRdLengthOffset + 2)..]))
            return length;

        int padding = (block - (length + OptionHeaderLength) % block) % block;
        int padded = length + OptionHeaderLength + padding;
        if (padded > buffer.Length || padded > ushort.MaxValue)
            return length;
        var rdLength = buffer.Slice(opt + OptRdLengthOffset, 2);
        BinaryPrimitives.WriteUInt16BigEndian(rdLength, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(rdLength) + OptionHeaderLength + padding));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[length..], (ushort)EdnsOptionCode.Padding);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(length + 2)..], (ushort)padding);
        // RFC 7830 §3: the padding octets SHOULD be zero.
        buffer.Slice(length + OptionHeaderLength, padding).Clear();
        return padded;
    }

    /// <summary>True when an OPT record's RDATA holds a Padding option (a query asks for padding by sending one).</summary>
    public static bool HasPadding(ReadOnlySpan<byte> optRdata)
    {
        int position = 0;
        while (position + OptionHeaderLength <= optRdata.Length)
        {
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(optRdata[position..]);
            if (code == (ushort)EdnsOptionCode.Padding)
                return true;
            position += OptionHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(optRdata[(position + 2)..]);
        }
        return false;
    }

    /// <summary>The offset of the OPT record when it is the message's last record and ends the message; else -1.</summary>
    private static int FindTrailingOpt(ReadOnlySpan<byte> message)
    {
        var header = DnsHeader.Read(message);
        int position = DnsHeader.Size;
        for (int i = 0; i < header.QuestionCount; i++)
            position = WireNameReader.Skip(message, position) + 4;
        int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        int last = -1;
        for (int i = 0; i < records; i++)
        {
            last = position;
            position = WireNameReader.Skip(message, position);
            if (position + 10 > message.Length)
                return -1;
            position += 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
        }
        if (last < 0 || position != message.Length)
            return -1;
        bool rootOwned = message[last] == 0;
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[(last + 1)..]);
        return rootOwned && type == RecordType.OPT ? last : -1;
    }
}
