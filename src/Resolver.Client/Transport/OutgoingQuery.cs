using System.Buffers;
using System.Buffers.Binary;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Wire;

namespace Resolver.Client.Transport;

/// <summary>
/// The encoded query, written once per exchange into a buffer with room for the TCP
/// length prefix in front (RFC 1035 §4.2.2), so UDP and TCP send the same bytes. Each send
/// stamps a fresh ID from a cryptographic generator (RFC 5452 §4.3: IDs must be unpredictable).
/// </summary>
/// <remarks>
/// Written straight from the <see cref="UpstreamQuery"/> (header, the name's wire form, OPT),
/// without building a <see cref="DnsMessage"/> first: a query has one uncompressed name, so the
/// message objects and the compression table bought nothing. A value holding an array (pooled only for
/// an unusually large query); copies share the array, and only the owner disposes it.
/// </remarks>
internal readonly struct OutgoingQuery : IDisposable
{
    private const int PrefixLength = 2;

    // RFC 1035 §4.1.1 header bits of a query.

    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly bool _pooled;

    // A name, a question and an OPT fit here; a query with large EDNS options is written again into a pooled
    // full-size buffer. A typical query is written on the stack and copied into an array of its exact size (about
    // 80 bytes): renting from ArrayPool.Shared cost a 1 KiB array per miss under load, because the query is
    // rented on the receive loop's thread and returned on another, hundreds in flight, so the pool's per-thread
    // and per-core stores were always empty (measured with scripts/profile-misses.sh).
    private const int TypicalQueryLength = 512;

    /// <param name="paddingBlock">
    /// With OPT, pad the message to a multiple of this many octets (RFC 7830 padding option, RFC 8467 §4.1 block
    /// padding: 128 for queries); 0 for none. Only on encrypted transports: in clear text it hides nothing.
    /// </param>
    public OutgoingQuery(UpstreamQuery query, bool withEdns, ushort udpPayloadSize, int paddingBlock = 0)
    {
        WithEdns = withEdns;
        Span<byte> typical = stackalloc byte[TypicalQueryLength + PrefixLength];
        if (TryWrite(query, withEdns, udpPayloadSize, paddingBlock, typical, out _length))
        {
            _buffer = typical[..(PrefixLength + _length)].ToArray();
            return;
        }
        _buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + PrefixLength);
        _pooled = true;
        if (!TryWrite(query, withEdns, udpPayloadSize, paddingBlock, _buffer, out _length))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            throw new ArgumentException("query does not fit in one DNS message", nameof(query));
        }
    }

    /// <summary>Writes the message after a two-byte TCP length prefix; false when it does not fit.</summary>
    private static bool TryWrite(UpstreamQuery query, bool withEdns, ushort udpPayloadSize, int paddingBlock, Span<byte> buffer, out int length)
    {
        var writer = new DnsWriter(buffer[PrefixLength..], Span<ushort>.Empty);
        writer.WriteUInt16(0); // ID: stamped before each send
        writer.WriteUInt16((ushort)((query.RecursionDesired ? HeaderFlags.RD : 0) | (query.CheckingDisabled ? HeaderFlags.CD : 0)));
        writer.WriteUInt16(1);
        writer.WriteUInt16(0);
        writer.WriteUInt16(0);
        writer.WriteUInt16((ushort)(withEdns ? 1 : 0));
        writer.WriteBytes(query.Name.Wire);
        writer.WriteUInt16((ushort)query.Type);
        writer.WriteUInt16((ushort)query.Class);
        if (withEdns)
            WriteOpt(ref writer, query, udpPayloadSize, paddingBlock);
        if (writer.Overflowed)
        {
            length = 0;
            return false;
        }
        length = writer.Position;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)length);
        return true;
    }

    public bool WithEdns { get; }

    /// <summary>The message as sent over UDP.</summary>
    public ReadOnlyMemory<byte> Datagram => _buffer.AsMemory(PrefixLength, _length);

    /// <summary>The message with its two-byte length prefix, as sent over TCP.</summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(0, PrefixLength + _length);

    /// <summary>Writes a fresh random ID into the message and returns it.</summary>
    public ushort StampNewId()
    {
        ushort id = RandomIds.Next();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(PrefixLength), id);
        return id;
    }

    /// <summary>The OPT record (RFC 6891 §6.1.2): root owner, payload size in CLASS, DO in TTL, options in RDATA.</summary>
    private static void WriteOpt(ref DnsWriter writer, UpstreamQuery query, ushort udpPayloadSize, int paddingBlock)
    {
        writer.WriteByte(0);
        writer.WriteUInt16((ushort)RecordType.OPT);
        // RFC 6891 §6.2.5: a requestor advertises at least 512; smaller values are treated as 512.
        writer.WriteUInt16(Math.Max(udpPayloadSize, (ushort)512));
        // Extended RCODE 0, version 0; DO is the top bit of the flags (RFC 3225 §3).
        writer.WriteUInt32(query.DnssecOk ? 0x8000u : 0);
        int lengthAt = writer.ReserveUInt16();
        int start = writer.Position;
        if (query.EdnsOptions is { } options)
        {
            for (int i = 0; i < options.Count; i++)
            {
                writer.WriteUInt16(options[i].Code);
                int optionLengthAt = writer.ReserveUInt16();
                int optionStart = writer.Position;
                options[i].WriteData(ref writer);
                writer.PatchUInt16(optionLengthAt, (ushort)(writer.Position - optionStart));
            }
        }
        if (paddingBlock > 0)
        {
            // RFC 7830 §3: option code 12, zero octets; sized so the whole message ends on a block boundary.
            int padding = (paddingBlock - (writer.Position + 4) % paddingBlock) % paddingBlock;
            writer.WriteUInt16((ushort)EdnsOptionCode.Padding);
            writer.WriteUInt16((ushort)padding);
            for (int i = 0; i < padding; i++)
                writer.WriteByte(0);
        }
        writer.PatchUInt16(lengthAt, (ushort)(writer.Position - start));
    }

    public void Dispose()
    {
        if (_pooled)
            ArrayPool<byte>.Shared.Return(_buffer);
    }
}
