using Resolver.Protocol.Edns;

namespace Resolver.Protocol;

/// <summary>
/// A whole DNS message (RFC 1035 §4.1) as objects: header fields, the four sections and the
/// OPT record, which is taken out of the additional section into <see cref="Edns"/>.
/// Parsing lives in <see cref="MessageParser"/>, writing in <see cref="MessageWriter"/>.
/// </summary>
/// <remarks>
/// Header flags are kept in one 16-bit word, and a section's list is created on first use, so a
/// parsed answer with empty sections (most answers: no authority, only OPT in additional)
/// allocates nothing for them. The lists are still plain <see cref="List{T}"/> to callers.
/// </remarks>
public sealed class DnsMessage
{
    // Same bit layout as the header's second word (RFC 1035 §4.1.1, AD/CD from RFC 4035 §3.2);
    // the RCODE bits are kept apart in ResponseCode.
    private const ushort FlagBits = 0xFFF0;

    private ushort _flags;
    private DnsQuestion? _soleQuestion;
    private List<DnsQuestion>? _questions;
    private List<DnsRecord>? _answers;
    private List<DnsRecord>? _authorities;
    private List<DnsRecord>? _additionals;

    public ushort Id { get; set; }
    public bool IsResponse { get => Has(HeaderFlags.QR); set => Set(HeaderFlags.QR, value); }

    public DnsOpcode Opcode
    {
        get => (DnsOpcode)((_flags >> 11) & 0xF);
        set => _flags = (ushort)((_flags & ~0x7800) | (((int)value & 0xF) << 11));
    }

    public bool AuthoritativeAnswer { get => Has(HeaderFlags.AA); set => Set(HeaderFlags.AA, value); }
    public bool Truncated { get => Has(HeaderFlags.TC); set => Set(HeaderFlags.TC, value); }
    public bool RecursionDesired { get => Has(HeaderFlags.RD); set => Set(HeaderFlags.RD, value); }
    public bool RecursionAvailable { get => Has(HeaderFlags.RA); set => Set(HeaderFlags.RA, value); }
    public bool Z { get => Has(HeaderFlags.Z); set => Set(HeaderFlags.Z, value); }
    public bool AuthenticData { get => Has(HeaderFlags.AD); set => Set(HeaderFlags.AD, value); }
    public bool CheckingDisabled { get => Has(HeaderFlags.CD); set => Set(HeaderFlags.CD, value); }

    /// <summary>The full 12-bit RCODE: header bits plus OPT's extended bits (RFC 6891 §6.1.3).</summary>
    public DnsResponseCode ResponseCode { get; set; }

    /// <summary>The question section; a parsed message with one question makes this list on first use.</summary>
    public List<DnsQuestion> Questions => _questions ??= TakeSoleQuestion();
    public List<DnsRecord> Answers => _answers ??= [];
    public List<DnsRecord> Authorities => _authorities ??= [];

    /// <summary>The additional section without the OPT record.</summary>
    public List<DnsRecord> Additionals => _additionals ??= [];

    /// <summary>The OPT record, or null when the message has no EDNS.</summary>
    public EdnsRecord? Edns { get; set; }

    public DnsQuestion? Question => _questions is { } questions ? (questions.Count > 0 ? questions[0] : null) : _soleQuestion;

    public static DnsMessage Parse(ReadOnlySpan<byte> message) => MessageParser.Parse(message);

    /// <summary>
    /// Parses an answer to <paramref name="asked"/>: when the message repeats the question octet
    /// for octet (name case included), the message shares <paramref name="asked"/> and its name
    /// instead of holding a copy, and answers owned by that name share it too.
    /// </summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> message, DnsQuestion? asked) => MessageParser.Parse(message, asked);

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
        var header = new DnsHeader { Id = Id, Flags = _flags };
        header.ResponseCodeLow = (byte)((ushort)ResponseCode & 0xF);
        header.QuestionCount = (ushort)(_questions?.Count ?? (_soleQuestion is null ? 0 : 1));
        header.AnswerCount = (ushort)(_answers?.Count ?? 0);
        header.AuthorityCount = (ushort)(_authorities?.Count ?? 0);
        header.AdditionalCount = (ushort)((_additionals?.Count ?? 0) + (Edns is null ? 0 : 1));
        return header;
    }

    /// <summary>The sections as they are, without creating lists for empty ones (for the writer).</summary>
    internal List<DnsQuestion>? QuestionsOrNull => _questions;
    internal DnsQuestion? SoleQuestionOrNull => _questions is null ? _soleQuestion : null;
    internal List<DnsRecord>? AnswersOrNull => _answers;
    internal List<DnsRecord>? AuthoritiesOrNull => _authorities;
    internal List<DnsRecord>? AdditionalsOrNull => _additionals;

    /// <summary>
    /// Installs what the parser read. Most messages have exactly one question (RFC 9619), which
    /// is kept as it is until <see cref="Questions"/> is asked for, sparing a list and its array.
    /// </summary>
    internal void SetSections(DnsQuestion? soleQuestion, List<DnsQuestion>? questions, List<DnsRecord>? answers, List<DnsRecord>? authorities, List<DnsRecord>? additionals)
    {
        _soleQuestion = soleQuestion;
        _questions = questions;
        _answers = answers;
        _authorities = authorities;
        _additionals = additionals;
    }

    internal void SetHeader(DnsHeader header)
    {
        Id = header.Id;
        _flags = (ushort)(header.Flags & FlagBits);
        ResponseCode = (DnsResponseCode)header.ResponseCodeLow;
    }

    private List<DnsQuestion> TakeSoleQuestion()
    {
        var questions = _soleQuestion is null ? new List<DnsQuestion>() : new List<DnsQuestion>(1) { _soleQuestion };
        _soleQuestion = null;
        return questions;
    }

    private bool Has(ushort bit) => (_flags & bit) != 0;

    private void Set(ushort bit, bool value) => _flags = value ? (ushort)(_flags | bit) : (ushort)(_flags & ~bit);
}
