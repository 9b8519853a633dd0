using System.Buffers.Binary;
using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Client.Transport;

/// <summary>
/// Decides whether a received packet is the answer to the query we sent (RFC 5452 §9.1:
/// ID and question must match; the transport checks address and port). Reads only the
/// header and the question, allocating nothing: a reply whose later sections are broken is
/// still recognised as ours, so the caller reports it as malformed (or retries without OPT)
/// instead of waiting for a better one that will never come.
/// </summary>
internal static class ReplyMatcher
{
    /// <summary>Null when <paramref name="reply"/> answers the query, else why it does not.</summary>
    public static DiscardReason? Check(ReadOnlySpan<byte> reply, ushort id, UpstreamQuery query, out DnsHeader header)
    {
        if (!DnsHeader.TryRead(reply, out header))
            return DiscardReason.Unparsable;
        if (!header.IsResponse)
            return DiscardReason.NotResponse;
        if (header.Opcode != DnsOpcode.Query)
            return DiscardReason.WrongOpcode;
        if (header.Id != id)
            return DiscardReason.WrongId;
        // Exactly one question, as we asked one (RFC 9619 fixes QDCOUNT at 1 for QUERY).
        if (header.QuestionCount != 1)
            return DiscardReason.WrongQuestion;
        return CheckQuestion(reply, query);
    }

    private static DiscardReason? CheckQuestion(ReadOnlySpan<byte> reply, UpstreamQuery query)
    {
        Span<byte> name = stackalloc byte[WireNameReader.MaxNameLength];
        int nameLength;
        int next;
        try
        {
            nameLength = WireNameReader.Read(reply, DnsHeader.Size, name, out next);
        }
        catch (DnsFormatException)
        {
            return DiscardReason.Unparsable;
        }
        if (next + 4 > reply.Length)
            return DiscardReason.Unparsable;
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(reply[next..]);
        var recordClass = (RecordClass)BinaryPrimitives.ReadUInt16BigEndian(reply[(next + 2)..]);
        // RFC 4343 §3: names compare without regard to ASCII case; the server may change case.
        bool same = type == query.Type && recordClass == query.Class
            && WireNameComparer.EqualsIgnoreCase(name[..nameLength], query.Name.Wire);
        return same ? null : DiscardReason.WrongQuestion;
    }
}
