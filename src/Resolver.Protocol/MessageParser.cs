using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol;

/// <summary>
/// Full parsing of a message into a <see cref="DnsMessage"/>. Every malformation is reported as a
/// <see cref="DnsFormatException"/>: truncation, counts larger than the data, bad names, RDATA
/// whose length disagrees with its type, trailing bytes, and misplaced or repeated OPT.
/// </summary>
public static class MessageParser
{
    public static DnsMessage Parse(ReadOnlySpan<byte> bytes)
    {
        var header = DnsHeader.Read(bytes);
        var message = new DnsMessage();
        message.SetHeader(header);
        var reader = new DnsReader(bytes, DnsHeader.Size);

        for (int i = 0; i < header.QuestionCount; i++)
            message.Questions.Add(ReadQuestion(ref reader));
        ReadSection(ref reader, header.AnswerCount, message.Answers, message, isAdditional: false);
        ReadSection(ref reader, header.AuthorityCount, message.Authorities, message, isAdditional: false);
        ReadSection(ref reader, header.AdditionalCount, message.Additionals, message, isAdditional: true);

        if (reader.Position != bytes.Length)
            throw new DnsFormatException($"{bytes.Length - reader.Position} bytes after the last record", reader.Position);
        return message;
    }

    public static DnsQuestion ReadQuestion(ref DnsReader reader)
    {
        var name = reader.ReadName();
        var type = (RecordType)reader.ReadUInt16();
        var recordClass = (RecordClass)reader.ReadUInt16();
        return new DnsQuestion(name, type, recordClass);
    }

    private static void ReadSection(ref DnsReader reader, int count, List<DnsRecord> section, DnsMessage message, bool isAdditional)
    {
        // Size the list once; a record takes at least 11 octets, so a hostile count cannot
        // make us reserve more than the message could hold.
        section.Capacity = Math.Min(count, (reader.End - reader.Position) / 11);
        for (int i = 0; i < count; i++)
        {
            int recordStart = reader.Position;
            var name = reader.ReadName();
            var type = (RecordType)reader.ReadUInt16();
            ushort rawClass = reader.ReadUInt16();
            uint ttl = reader.ReadUInt32();
            ushort length = reader.ReadUInt16();
            int rdataEnd = reader.Position + length;
            if (rdataEnd > reader.End)
                throw new DnsFormatException($"RDATA of {length} octets runs past the end of the message", reader.Position - 2);

            reader.End = rdataEnd;
            if (type == RecordType.OPT)
                ReadOpt(ref reader, message, name, rawClass, ttl, rdataEnd, isAdditional, recordStart);
            else
                section.Add(new DnsRecord(name, type, (RecordClass)rawClass, ttl, RecordDataReader.Read(type, ref reader, length)));
            reader.End = reader.Message.Length;
        }
    }

    private static void ReadOpt(ref DnsReader reader, DnsMessage message, DnsName owner, ushort udpSize, uint ttl, int rdataEnd, bool isAdditional, int recordStart)
    {
        // RFC 6891 §6.1.1: at most one OPT, only in the additional section, owner is the root.
        if (!isAdditional)
            throw new DnsFormatException("OPT record outside the additional section", recordStart);
        if (message.Edns is not null)
            throw new DnsFormatException("more than one OPT record", recordStart);
        if (!owner.IsRoot)
            throw new DnsFormatException("OPT record owner is not the root", recordStart);
        message.Edns = EdnsRecord.Read(ref reader, udpSize, ttl, rdataEnd, out byte extendedRcode);
        message.ResponseCode = (DnsResponseCode)(((ushort)extendedRcode << 4) | ((ushort)message.ResponseCode & 0xF));
    }
}
