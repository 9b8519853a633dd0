using System.Buffers.Binary;
using System.Net;

namespace Resolver.TestKit.Captures;

/// <summary>How a captured DNS message travelled.</summary>
public enum CapturedTransport
{
    Udp,
    Tcp,
}

/// <summary>
/// One DNS message found in a capture: the raw wire bytes (for TCP without the
/// 2-byte length prefix of RFC 1035 4.2.2) and where it was seen. Whether it is
/// a query or a response is the codec's business; <see cref="IsResponse"/> only
/// reads the QR bit so tests can pair messages without a codec.
/// </summary>
/// <param name="Payload">The DNS message exactly as it was on the wire.</param>
/// <param name="Transport">UDP datagram or TCP stream.</param>
/// <param name="Source">Sender address and port.</param>
/// <param name="Destination">Receiver address and port.</param>
/// <param name="FrameIndex">0-based frame that carried the message (for TCP: its last byte).</param>
/// <param name="Timestamp">Capture time of that frame.</param>
public sealed record CapturedDnsMessage(
    byte[] Payload,
    CapturedTransport Transport,
    IPEndPoint Source,
    IPEndPoint Destination,
    int FrameIndex,
    DateTimeOffset Timestamp)
{
    /// <summary>RFC 1035 4.1.1: every message starts with a 12-byte header.</summary>
    public const int HeaderLength = 12;

    /// <summary>The header's ID field (bytes 0-1, big-endian).</summary>
    public ushort MessageId => BinaryPrimitives.ReadUInt16BigEndian(Header()[..2]);

    /// <summary>The QR bit (byte 2, 0x80): set in responses.</summary>
    public bool IsResponse => (Header()[2] & 0x80) != 0;

    /// <summary>The TC bit (byte 2, 0x02): the response was cut to fit UDP.</summary>
    public bool IsTruncated => (Header()[2] & 0x02) != 0;

    /// <summary>The RCODE (low 4 bits of byte 3), without any EDNS extension.</summary>
    public int ResponseCode => Header()[3] & 0x0F;

    public override string ToString() =>
        $"frame {FrameIndex} {Transport} {Source} -> {Destination} {Payload.Length} bytes: {Convert.ToHexString(Payload)}";

    private ReadOnlySpan<byte> Header()
    {
        if (Payload.Length < HeaderLength)
        {
            throw new InvalidOperationException($"Captured payload of {Payload.Length} bytes is shorter than a DNS header: {this}");
        }

        return Payload.AsSpan(0, HeaderLength);
    }
}
