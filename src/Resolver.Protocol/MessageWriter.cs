using System.Buffers;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol;

/// <summary>
/// Writes a <see cref="DnsMessage"/> with name compression. Owner names always compress; names
/// inside RDATA compress only for the RFC 1035 types (each record data type decides).
/// </summary>
public static class MessageWriter
{
    /// <summary>Enough remembered name offsets for any realistic response; beyond it names are written in full.</summary>
    private const int CompressionTableSize = 128;

    public static bool TryWrite(DnsMessage message, Span<byte> destination, out int written)
    {
        if (message.Edns is null && (ushort)message.ResponseCode > 0xF)
            throw new InvalidOperationException($"RCODE {message.ResponseCode} needs an OPT record (RFC 6891 §6.1.3)");

        Span<ushort> table = stackalloc ushort[CompressionTableSize];
        var writer = new DnsWriter(destination, table);
        Span<byte> header = stackalloc byte[DnsHeader.Size];
        message.GetHeader().WriteTo(header);
        writer.WriteBytes(header);

        if (message.SoleQuestionOrNull is { } sole)
            WriteQuestion(ref writer, sole);
        if (message.QuestionsOrNull is { } questions)
        {
            foreach (var question in questions)
                WriteQuestion(ref writer, question);
        }
        WriteSection(ref writer, message.AnswersOrNull);
        WriteSection(ref writer, message.AuthoritiesOrNull);
        WriteSection(ref writer, message.AdditionalsOrNull);
        message.Edns?.WriteTo(ref writer, (byte)((ushort)message.ResponseCode >> 4));

        written = writer.Overflowed ? 0 : writer.Position;
        return !writer.Overflowed;
    }

    public static byte[] ToArray(DnsMessage message)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            if (!TryWrite(message, buffer, out int written))
                throw new InvalidOperationException("message does not fit in 65535 octets");
            return buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void WriteRecord(ref DnsWriter writer, DnsRecord record)
    {
        writer.WriteName(record.Name);
        writer.WriteUInt16((ushort)record.Type);
        writer.WriteUInt16((ushort)record.Class);
        writer.WriteUInt32(record.Ttl);
        int lengthAt = writer.ReserveUInt16();
        int start = writer.Position;
        record.Data.WriteTo(ref writer);
        writer.PatchUInt16(lengthAt, (ushort)(writer.Position - start));
    }

    private static void WriteQuestion(ref DnsWriter writer, DnsQuestion question)
    {
        writer.WriteName(question.Name);
        writer.WriteUInt16((ushort)question.Type);
        writer.WriteUInt16((ushort)question.Class);
    }

    private static void WriteSection(ref DnsWriter writer, List<DnsRecord>? records)
    {
        if (records is null)
            return;
        foreach (var record in records)
            WriteRecord(ref writer, record);
    }
}
