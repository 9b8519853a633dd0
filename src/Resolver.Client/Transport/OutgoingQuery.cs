using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Client.Transport;

/// <summary>
/// The encoded query, written once per exchange into a pooled buffer with room for the TCP
/// length prefix in front (RFC 1035 §4.2.2), so UDP and TCP send the same bytes. Each send
/// stamps a fresh ID from a cryptographic generator (RFC 5452 §4.3: IDs must be unpredictable).
/// </summary>
internal sealed class OutgoingQuery : IDisposable
{
    private const int PrefixLength = 2;
    private byte[]? _buffer;
    private readonly int _length;

    public OutgoingQuery(UpstreamQuery query, bool withEdns, ushort udpPayloadSize)
    {
        var message = DnsMessage.CreateQuery(0, query.Name, query.Type, query.Class, query.RecursionDesired,
            withEdns ? CreateOpt(query, udpPayloadSize) : null);
        message.CheckingDisabled = query.CheckingDisabled;
        WithEdns = withEdns;

        _buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + PrefixLength);
        if (!message.TryWrite(_buffer.AsSpan(PrefixLength, ushort.MaxValue), out _length))
            throw new ArgumentException("query does not fit in one DNS message", nameof(query));
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, (ushort)_length);
    }

    public bool WithEdns { get; }

    /// <summary>ID of the last <see cref="StampNewId"/>.</summary>
    public ushort Id { get; private set; }

    /// <summary>The message as sent over UDP.</summary>
    public ReadOnlyMemory<byte> Datagram => Buffer.AsMemory(PrefixLength, _length);

    /// <summary>The message with its two-byte length prefix, as sent over TCP.</summary>
    public ReadOnlyMemory<byte> Frame => Buffer.AsMemory(0, PrefixLength + _length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(OutgoingQuery));

    /// <summary>Writes a fresh random ID into the message and returns it.</summary>
    public ushort StampNewId()
    {
        Span<byte> random = stackalloc byte[2];
        RandomNumberGenerator.Fill(random);
        Id = BinaryPrimitives.ReadUInt16BigEndian(random);
        BinaryPrimitives.WriteUInt16BigEndian(Buffer.AsSpan(PrefixLength), Id);
        return Id;
    }

    private static EdnsRecord CreateOpt(UpstreamQuery query, ushort udpPayloadSize)
    {
        // RFC 6891 §6.2.5: a requestor advertises at least 512; smaller values are treated as 512.
        var opt = new EdnsRecord { UdpPayloadSize = Math.Max(udpPayloadSize, (ushort)512), DnssecOk = query.DnssecOk };
        if (query.EdnsOptions is { } options)
        {
            for (int i = 0; i < options.Count; i++)
                opt.Options.Add(options[i]);
        }
        return opt;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
