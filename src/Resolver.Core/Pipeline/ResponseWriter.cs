using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Wire;

namespace Resolver.Core.Pipeline;

/// <summary>
/// Applies the rules every answer follows, whatever stage produced it (RFC 1035 §4.1.1,
/// RFC 6891, RFC 4035 §3.2): the client's ID and question exactly as written (letter case
/// included), QR and RA set, RD and CD copied, an OPT record only when the query had one
/// (our UDP size, DO copied, version 0), and TC=1 with the question only when the answer
/// does not fit the client's limit.
/// </summary>
public static class ResponseWriter
{
    private const int CompressionTableSize = 128;

    /// <summary>
    /// Writes <paramref name="answer"/>'s RCODE, AA and AD flags, its three record sections and
    /// its EDNS options (e.g. an Extended DNS Error) as the response to <paramref name="request"/>.
    /// Returns the length written.
    /// </summary>
    public static int Write(in QueryRequest request, DnsMessage answer, Span<byte> destination)
    {
        var limit = destination[..Math.Min(destination.Length, request.ResponseLimit)];
        var rcode = EffectiveResponseCode(request, answer.ResponseCode);
        var options = answer.Edns?.Options;
        int written = WriteMessage(request, answer, rcode, answer.AuthoritativeAnswer, answer.AuthenticData, options, limit, truncated: false);
        if (written > 0)
            return written;
        // RFC 1035 §4.2.1 / RFC 2181 §9: what does not fit goes out as TC=1 so the client retries over TCP.
        written = WriteMessage(request, null, rcode, answer.AuthoritativeAnswer, false, options, limit, truncated: true);
        return written > 0 ? written : WriteMessage(request, null, rcode, answer.AuthoritativeAnswer, false, null, limit, truncated: true);
    }

    /// <summary>Writes an answer with no records and the given RCODE (and an optional EDNS option such as EDE).</summary>
    public static int WriteError(in QueryRequest request, DnsResponseCode responseCode, Span<byte> destination, EdnsOption? option = null)
    {
        var answer = new DnsMessage { ResponseCode = responseCode };
        if (option is not null)
        {
            answer.Edns = new EdnsRecord();
            answer.Edns.Options.Add(option);
        }
        return Write(request, answer, destination);
    }

    /// <summary>
    /// A reply to a message whose question could not be read: the header only, ID, opcode and
    /// RD copied (RFC 1035 §4.1.1 FORMERR / NOTIMP). The caller checked there are 12 bytes.
    /// </summary>
    public static int WriteHeaderOnly(ReadOnlySpan<byte> query, DnsResponseCode responseCode, Span<byte> destination)
    {
        var received = DnsHeader.Read(query);
        var header = new DnsHeader
        {
            Id = received.Id,
            Opcode = received.Opcode,
            RecursionDesired = received.RecursionDesired,
            CheckingDisabled = received.CheckingDisabled,
            IsResponse = true,
            RecursionAvailable = true,
            ResponseCodeLow = (byte)((ushort)responseCode & 0xF),
        };
        header.WriteTo(destination);
        return DnsHeader.Size;
    }

    // Without OPT there is no way to say an extended RCODE; SERVFAIL is the honest fallback.
    private static DnsResponseCode EffectiveResponseCode(in QueryRequest request, DnsResponseCode code) =>
        (ushort)code > 0xF && !request.HasEdns ? DnsResponseCode.ServFail : code;

    private static int WriteMessage(in QueryRequest request, DnsMessage? records, DnsResponseCode rcode, bool authoritative, bool authenticData,
        List<EdnsOption>? options, Span<byte> destination, bool truncated)
    {
        Span<ushort> table = stackalloc ushort[CompressionTableSize];
        var writer = new DnsWriter(destination, table);
        Span<byte> headerBytes = stackalloc byte[DnsHeader.Size];
        ReplyRules.WriteHeader(headerBytes, request, ReplyRules.Flags(request, rcode, authoritative, authenticData, truncated),
            (ushort)(records?.Answers.Count ?? 0), (ushort)(records?.Authorities.Count ?? 0), (ushort)(records?.Additionals.Count ?? 0));
        writer.WriteBytes(headerBytes);

        // The question is copied as the client wrote it; it is uncompressed (the pipeline checked).
        writer.WriteBytes(request.QuestionName.Span);
        writer.WriteUInt16((ushort)request.Type);
        writer.WriteUInt16((ushort)request.Class);

        if (records is not null)
        {
            foreach (var record in records.Answers)
                MessageWriter.WriteRecord(ref writer, record);
            foreach (var record in records.Authorities)
                MessageWriter.WriteRecord(ref writer, record);
            foreach (var record in records.Additionals)
                MessageWriter.WriteRecord(ref writer, record);
        }
        if (request.HasEdns)
            WriteOpt(ref writer, request, rcode, options);
        return writer.Overflowed ? 0 : writer.Position;
    }

    private static void WriteOpt(ref DnsWriter writer, in QueryRequest request, DnsResponseCode rcode, List<EdnsOption>? options)
    {
        Span<byte> prefix = stackalloc byte[ReplyRules.OptPrefixLength];
        ReplyRules.WriteOptPrefix(prefix, request, rcode);
        writer.WriteBytes(prefix);
        EdnsRecord.WriteData(ref writer, options);
    }
}
