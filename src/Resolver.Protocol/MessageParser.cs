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
    /// <summary>Smallest question: root name, type, class.</summary>
    private const int MinQuestionLength = 5;

    /// <summary>Smallest record: root owner, type, class, TTL, RDLENGTH.</summary>
    private const int MinRecordLength = 11;

    public static DnsMessage Parse(ReadOnlySpan<byte> bytes) => Parse(bytes, asked: null);

    /// <summary>
    /// Parses <paramref name="bytes"/>; when its first question is <paramref name="asked"/> octet
    /// for octet, that object (and its name) is used instead of a copy (see <see cref="DnsMessage.Parse(ReadOnlySpan{byte}, DnsQuestion?)"/>).
    /// </summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> bytes, DnsQuestion? asked)
    {
        var header = DnsHeader.Read(bytes);
        var message = new DnsMessage();
        message.SetHeader(header);
        var reader = new DnsReader(bytes, DnsHeader.Size);

        DnsQuestion? soleQuestion = null;
        List<DnsQuestion>? questions = null;
        if (header.QuestionCount == 1)
        {
            soleQuestion = asked is not null ? ReadQuestion(ref reader, asked) : ReadQuestion(ref reader);
        }
        else if (header.QuestionCount > 1)
        {
            // Sized once and bounded by what the message could hold, like the record sections.
            questions = new List<DnsQuestion>(Math.Min(header.QuestionCount, reader.Remaining / MinQuestionLength));
            for (int i = 0; i < header.QuestionCount; i++)
                questions.Add(i == 0 && asked is not null ? ReadQuestion(ref reader, asked) : ReadQuestion(ref reader));
        }
        var answers = ReadSection(ref reader, header.AnswerCount, message, isAdditional: false);
        var authorities = ReadSection(ref reader, header.AuthorityCount, message, isAdditional: false);
        var additionals = ReadSection(ref reader, header.AdditionalCount, message, isAdditional: true);

        if (reader.Position != bytes.Length)
            throw new DnsFormatException($"{bytes.Length - reader.Position} bytes after the last record", reader.Position);
        message.SetSections(soleQuestion, questions, answers, authorities, additionals);
        return message;
    }

    public static DnsQuestion ReadQuestion(ref DnsReader reader)
    {
        var name = reader.ReadName();
        var type = (RecordType)reader.ReadUInt16();
        var recordClass = (RecordClass)reader.ReadUInt16();
        return new DnsQuestion(name, type, recordClass);
    }

    /// <summary>The question, as <paramref name="asked"/> itself when it is repeated exactly.</summary>
    private static DnsQuestion ReadQuestion(ref DnsReader reader, DnsQuestion asked)
    {
        int start = reader.Position;
        if (reader.TryReadExactName(asked.Name))
        {
            var type = (RecordType)reader.ReadUInt16();
            var recordClass = (RecordClass)reader.ReadUInt16();
            if (type == asked.Type && recordClass == asked.Class)
                return asked;
            return new DnsQuestion(asked.Name, type, recordClass);
        }
        reader.Position = start;
        return ReadQuestion(ref reader);
    }

    /// <summary>Reads <paramref name="count"/> records; the list is created only when there is a record to hold.</summary>
    private static List<DnsRecord>? ReadSection(ref DnsReader reader, int count, DnsMessage message, bool isAdditional)
    {
        List<DnsRecord>? section = null;
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
            {
                ReadOpt(ref reader, message, name, rawClass, ttl, rdataEnd, isAdditional, recordStart);
            }
            else
            {
                // Size the list once; a record takes at least 11 octets, so a hostile count
                // cannot make us reserve more than the rest of the message could hold.
                section ??= new List<DnsRecord>(Math.Min(count - i, 1 + (reader.Message.Length - rdataEnd) / MinRecordLength));
                section.Add(new DnsRecord(name, type, (RecordClass)rawClass, ttl, RecordDataReader.Read(type, ref reader, length)));
            }
            reader.End = reader.Message.Length;
        }
        return section;
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
