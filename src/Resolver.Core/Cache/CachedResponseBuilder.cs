using System.Buffers;
using System.Buffers.Binary;
using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Cache;

/// <summary>
/// Turns an answer ready for clients into a <see cref="CachedResponse"/>: encodes it once
/// without OPT (the OPT is the client's business and is appended per hit) and records where
/// every TTL field sits. Runs on the miss path only.
/// </summary>
internal static class CachedResponseBuilder
{
    // Owner name (at least 1) + TYPE + CLASS; TTL follows.
    private const int TtlAfterName = 4;
    private const int RecordFixedLength = 10;

    public static CachedResponse Build(DnsMessage answer, CachedResponseKind kind, uint ttl, long storedAt, long freshUntil, long staleUntil)
    {
        var question = answer.Question ?? throw new ArgumentException("an answer to cache needs its question", nameof(answer));
        var copy = new DnsMessage
        {
            IsResponse = true,
            RecursionAvailable = true,
            AuthenticData = answer.AuthenticData,
            ResponseCode = answer.ResponseCode,
        };
        copy.Questions.Add(question);
        copy.Answers.AddRange(answer.Answers);
        copy.Authorities.AddRange(answer.Authorities);
        copy.Additionals.AddRange(answer.Additionals);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            if (!copy.TryWrite(buffer, out int written))
                throw new ArgumentException("answer does not fit in 65535 octets", nameof(answer));
            var wire = buffer.AsSpan(0, written).ToArray();
            return new CachedResponse(wire, FindTtlOffsets(wire), question.Name.WireLength, kind, answer.AuthenticData, ttl, storedAt, freshUntil, staleUntil);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Walks the records of a message we wrote ourselves and returns the offset of each TTL. <paramref name="strict"/>
    /// for bytes from elsewhere (snapshot, shared cache): every record must lie inside the message and end it exactly,
    /// or <see cref="ArgumentException"/> is thrown.
    /// </summary>
    internal static ushort[] FindTtlOffsets(ReadOnlySpan<byte> wire, bool strict = false)
    {
        var header = DnsHeader.Read(wire);
        int position = DnsHeader.Size;
        for (int i = 0; i < header.QuestionCount; i++)
            position = WireNameReader.Skip(wire, position) + 4;
        int count = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        var offsets = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            position = WireNameReader.Skip(wire, position);
            offsets[i] = (ushort)(position + TtlAfterName);
            if (strict && position + RecordFixedLength > wire.Length)
                throw new ArgumentException("record cut short", nameof(wire));
            ushort rdLength = BinaryPrimitives.ReadUInt16BigEndian(wire[(position + 8)..]);
            position += RecordFixedLength + rdLength;
        }
        if (strict && position != wire.Length)
            throw new ArgumentException(position > wire.Length ? "record data cut short" : "octets after the last record", nameof(wire));
        return offsets;
    }
}
