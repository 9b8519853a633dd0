using Resolver.Protocol.Edns;

namespace Resolver.Protocol;

/// <summary>
/// A whole DNS message (RFC 1035 §4.1) as objects: header fields, the four sections and the
/// OPT record, which is taken out of the additional section into <see cref="Edns"/>.
/// Parsing lives in <see cref="MessageParser"/>, writing in <see cref="MessageWriter"/>.
/// </summary>
public sealed class DnsMessage
{
    public ushort Id { get; set; }
    public bool IsResponse { get; set; }
    public DnsOpcode Opcode { get; set; }
    public bool AuthoritativeAnswer { get; set; }
    public bool Truncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    public bool Z { get; set; }
    public bool AuthenticData { get; set; }
    public bool CheckingDisabled { get; set; }

    /// <summary>The full 12-bit RCODE: header bits plus OPT's extended bits (RFC 6891 §6.1.3).</summary>
    public DnsResponseCode ResponseCode { get; set; }

    public List<DnsQuestion> Questions { get; } = [];
    public List<DnsRecord> Answers { get; } = [];
    public List<DnsRecord> Authorities { get; } = [];

    /// <summary>The additional section without the OPT record.</summary>
    public List<DnsRecord> Additionals { get; } = [];

    /// <summary>The OPT record, or null when the message has no EDNS.</summary>
    public EdnsRecord? Edns { get; set; }

    public DnsQuestion? Question => Questions.Count > 0 ? Questions[0] : null;

    public static DnsMessage Parse(ReadOnlySpan<byte> message) => MessageParser.Parse(message);

    /// <summary>Writes the message; false when it does not fit (the caller then truncates and sets TC).</summary>
    public bool TryWrite(Span<byte> destination, out int written) => MessageWriter.TryWrite(this, destination, out written);

    public byte[] ToArray() => MessageWriter.ToArray(this);

    /// <summary>A query for one question, with RD set and optionally EDNS.</summary>
    public static DnsMessage CreateQuery(ushort id, DnsName name, RecordType type, RecordClass recordClass = RecordClass.IN, bool recursionDesired = true, EdnsRecord? edns = null)
    {
        var message = new DnsMessage { Id = id, RecursionDesired = recursionDesired, Edns = edns };
        message.Questions.Add(new DnsQuestion(name, type, recordClass));
        return message;
    }

    /// <summary>Header fields as a <see cref="DnsHeader"/> (counts of the sections as they would be written).</summary>
    public DnsHeader GetHeader()
    {
        var header = new DnsHeader
        {
            Id = Id,
            IsResponse = IsResponse,
            Opcode = Opcode,
            AuthoritativeAnswer = AuthoritativeAnswer,
            Truncated = Truncated,
            RecursionDesired = RecursionDesired,
            RecursionAvailable = RecursionAvailable,
            Z = Z,
            AuthenticData = AuthenticData,
            CheckingDisabled = CheckingDisabled,
            ResponseCodeLow = (byte)((ushort)ResponseCode & 0xF),
            QuestionCount = (ushort)Questions.Count,
            AnswerCount = (ushort)Answers.Count,
            AuthorityCount = (ushort)Authorities.Count,
            AdditionalCount = (ushort)(Additionals.Count + (Edns is null ? 0 : 1)),
        };
        return header;
    }

    internal void SetHeader(DnsHeader header)
    {
        Id = header.Id;
        IsResponse = header.IsResponse;
        Opcode = header.Opcode;
        AuthoritativeAnswer = header.AuthoritativeAnswer;
        Truncated = header.Truncated;
        RecursionDesired = header.RecursionDesired;
        RecursionAvailable = header.RecursionAvailable;
        Z = header.Z;
        AuthenticData = header.AuthenticData;
        CheckingDisabled = header.CheckingDisabled;
        ResponseCode = (DnsResponseCode)header.ResponseCodeLow;
    }
}
