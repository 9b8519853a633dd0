using System.Buffers.Binary;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Cache;

/// <summary>
/// The hit path: writes a cached entry as the answer to one client without allocating. Copies
/// the wire bytes, then applies the same rules as <see cref="ResponseWriter"/>: the client's ID
/// and question case, QR/RA set, RD/CD copied, AA cleared (cached data is not authoritative,
/// RFC 1035 §6.1.3), AD only for DO/AD queries (RFC 4035 §3.2.3), TTLs lowered by the time
/// spent in the cache, OPT appended only when the query had one, TC=1 when it does not fit.
/// </summary>
internal static class CachedAnswerWriter
{
    private const int OptFixedLength = ReplyRules.OptFixedLength;
    private const int EdeOptionLength = 6; // code, length, INFO-CODE (no EXTRA-TEXT on the hit path)

    /// <param name="elapsedSeconds">Seconds since the entry was stored.</param>
    /// <param name="staleTtl">When not null, every TTL is written as this value (RFC 8767 §4).</param>
    /// <param name="extendedError">INFO-CODE of an EDE to add (RFC 8914), or null.</param>
    public static int Write(in QueryRequest request, CachedResponse entry, Span<byte> destination, long elapsedSeconds, uint? staleTtl, ExtendedErrorCode? extendedError)
    {
        int limit = Math.Min(destination.Length, request.ResponseLimit);
        int optLength = request.HasEdns ? OptFixedLength + (extendedError is null ? 0 : EdeOptionLength) : 0;
        var wire = entry.Wire;
        if (wire.Length + optLength > limit)
            return WriteTruncated(request, entry, destination, extendedError);

        wire.CopyTo(destination);
        WriteHeader(request, entry, destination, truncated: false, keepSections: true);
        // The cached question name equals the client's ignoring case (it is the key): same length.
        request.QuestionName.Span.CopyTo(destination[DnsHeader.Size..]);
        LowerTtls(entry.TtlOffsets, destination, elapsedSeconds, staleTtl);
        int length = wire.Length;
        if (request.HasEdns)
            length += WriteOpt(request, destination[length..], extendedError);
        return length;
    }

    private static void LowerTtls(ushort[] offsets, Span<byte> message, long elapsedSeconds, uint? staleTtl)
    {
        for (int i = 0; i < offsets.Length; i++)
        {
            var field = message.Slice(offsets[i], 4);
            uint ttl;
            if (staleTtl is uint stale)
                ttl = stale;
            else
            {
                long remaining = BinaryPrimitives.ReadUInt32BigEndian(field) - elapsedSeconds;
                ttl = remaining > 0 ? (uint)remaining : 0;
            }
            BinaryPrimitives.WriteUInt32BigEndian(field, ttl);
        }
    }

    // RFC 1035 §4.2.1: what does not fit goes out as header + question with TC=1.
    private static int WriteTruncated(in QueryRequest request, CachedResponse entry, Span<byte> destination, ExtendedErrorCode? extendedError)
    {
        int questionLength = entry.QuestionNameLength + 4;
        entry.Wire.AsSpan(0, DnsHeader.Size + questionLength).CopyTo(destination);
        WriteHeader(request, entry, destination, truncated: true, keepSections: false);
        request.QuestionName.Span.CopyTo(destination[DnsHeader.Size..]);
        int length = DnsHeader.Size + questionLength;
        if (request.HasEdns)
            length += WriteOpt(request, destination[length..], extendedError);
        return length;
    }

    private static void WriteHeader(in QueryRequest request, CachedResponse entry, Span<byte> message, bool truncated, bool keepSections)
    {
        // RFC 1035 §6.1.3: cached data is not authoritative, so AA is never set here.
        ushort flags = ReplyRules.Flags(request, entry.ResponseCode, authoritative: false, entry.AuthenticData, truncated);
        if (!keepSections)
        {
            ReplyRules.WriteHeader(message, request, flags, 0, 0, 0);
            return;
        }
        // The stored counts stay; the ID, the flags and the OPT the client is owed change.
        BinaryPrimitives.WriteUInt16BigEndian(message, request.Info.Header.Id);
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], flags);
        if (request.HasEdns)
        {
            ushort additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
            BinaryPrimitives.WriteUInt16BigEndian(message[10..], (ushort)(additional + 1));
        }
    }

    private static int WriteOpt(in QueryRequest request, Span<byte> destination, ExtendedErrorCode? extendedError)
    {
        // Cached entries never carry an extended RCODE: the RCODE's upper bits are 0.
        ReplyRules.WriteOptPrefix(destination, request, DnsResponseCode.NoError);
        if (extendedError is not ExtendedErrorCode code)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[9..], 0);
            return OptFixedLength;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], EdeOptionLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], (ushort)EdnsOptionCode.ExtendedError);
        BinaryPrimitives.WriteUInt16BigEndian(destination[13..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[15..], (ushort)code);
        return OptFixedLength + EdeOptionLength;
    }
}
