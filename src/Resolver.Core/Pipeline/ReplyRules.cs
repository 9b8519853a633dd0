using System.Buffers.Binary;
using Resolver.Protocol;

namespace Resolver.Core.Pipeline;

/// <summary>
/// The header and OPT rules every reply follows, in one place for both writers: <see cref="ResponseWriter"/> (answers
/// built from records) and the cache's answer writer (answers copied from stored wire bytes). Span-based, no
/// allocation.
/// </summary>
public static class ReplyRules
{
    /// <summary>Owner (root), TYPE, CLASS and TTL of the OPT record: everything before its RDLENGTH.</summary>
    public const int OptPrefixLength = 9;

    /// <summary>An OPT record with no options.</summary>
    public const int OptFixedLength = OptPrefixLength + 2;

    /// <summary>
    /// The reply's flags (RFC 1035 §4.1.1): QR and RA set; opcode, RD and CD copied from the query (RFC 4035 §3.2.2);
    /// AA as the source says; AD only when the data is authentic and the client asked with DO or AD (RFC 4035
    /// §3.2.3, RFC 6840 §5.8); TC when the answer was cut; the low four bits of the RCODE.
    /// </summary>
    public static ushort Flags(in QueryRequest request, DnsResponseCode rcode, bool authoritative, bool authenticData, bool truncated)
    {
        var query = request.Info.Header;
        int flags = HeaderFlags.QR | HeaderFlags.RA | ((int)query.Opcode << 11) | ((ushort)rcode & 0xF);
        if (authoritative)
            flags |= HeaderFlags.AA;
        if (truncated)
            flags |= HeaderFlags.TC;
        if (query.RecursionDesired)
            flags |= HeaderFlags.RD;
        if (query.CheckingDisabled)
            flags |= HeaderFlags.CD;
        if (authenticData && (request.DnssecOk || query.AuthenticData))
            flags |= HeaderFlags.AD;
        return (ushort)flags;
    }

    /// <summary>
    /// Writes the ID and <paramref name="flags"/> into a reply's header, and the section counts when given. The
    /// additional count includes the reply's OPT whenever the query had one (RFC 6891 §7).
    /// </summary>
    public static void WriteHeader(Span<byte> header, in QueryRequest request, ushort flags, ushort answers, ushort authorities, ushort additionals)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, request.Info.Header.Id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], answers);
        BinaryPrimitives.WriteUInt16BigEndian(header[8..], authorities);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], (ushort)(additionals + (request.HasEdns ? 1 : 0)));
    }

    /// <summary>
    /// Writes the OPT record's first <see cref="OptPrefixLength"/> octets (RFC 6891 §6.1.2): root owner, TYPE 41,
    /// CLASS our UDP size, TTL with the RCODE's upper eight bits, version 0 and DO copied from the query. RDLENGTH
    /// and the options follow.
    /// </summary>
    public static void WriteOptPrefix(Span<byte> destination, in QueryRequest request, DnsResponseCode rcode)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], request.AdvertisedUdpSize);
        uint ttl = ((uint)((ushort)rcode >> 4) << 24) | (request.DnssecOk ? 0x8000u : 0u);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], ttl);
    }
}
