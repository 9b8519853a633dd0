using System.Buffers.Binary;
using System.Net;

namespace Resolver.TestKit.Captures;

/// <summary>
/// Peels a captured frame down to its UDP or TCP segment: link header
/// (Ethernet, Linux cooked v1/v2, BSD loopback, raw IP), then IPv4 or IPv6,
/// then UDP or TCP. Frames that are anything else, or IP fragments, are skipped.
/// </summary>
public static class PacketDecoder
{
    private const int EtherTypeIPv4 = 0x0800;
    private const int EtherTypeIPv6 = 0x86DD;
    private const int EtherTypeVlan = 0x8100;
    private const int EtherTypeQinQ = 0x88A8;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    /// <summary>The UDP or TCP segment in the frame, or null when there is none.</summary>
    public static TransportSegment? Decode(PcapFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ReadOnlySpan<byte> data = frame.Data;
        int ipOffset = NetworkLayerOffset(frame.LinkType, data);
        if (ipOffset < 0 || ipOffset >= data.Length)
        {
            return null;
        }

        var ip = data[ipOffset..];
        return (ip[0] >> 4) switch
        {
            4 => DecodeIPv4(ip, frame),
            6 => DecodeIPv6(ip, frame),
            _ => null,
        };
    }

    /// <summary>Where the IP header starts, or -1 for a frame that does not carry IP.</summary>
    private static int NetworkLayerOffset(int linkType, ReadOnlySpan<byte> data)
    {
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                return EthernetPayloadOffset(data);
            case LinkTypes.LinuxSll:
                // 16-byte header; protocol (an EtherType) in its last two bytes.
                return data.Length >= 16 && IsIpEtherType(BinaryPrimitives.ReadUInt16BigEndian(data[14..])) ? 16 : -1;
            case LinkTypes.LinuxSll2:
                // 20-byte header; protocol first.
                return data.Length >= 20 && IsIpEtherType(BinaryPrimitives.ReadUInt16BigEndian(data)) ? 20 : -1;
            case LinkTypes.Null:
            case LinkTypes.Loop:
                // The 4-byte address family is in the capturing host's byte order and its
                // value for IPv6 differs between systems: the IP version nibble decides.
                return 4;
            case LinkTypes.Raw:
            case LinkTypes.RawOld:
            case LinkTypes.IPv4:
            case LinkTypes.IPv6:
                return 0;
            default:
                return -1;
        }
    }

    private static int EthernetPayloadOffset(ReadOnlySpan<byte> data)
    {
        int offset = 12;
        // Skip up to two 802.1Q / 802.1ad tags.
        for (int tag = 0; tag < 3; tag++)
        {
            if (data.Length < offset + 2)
            {
                return -1;
            }

            int etherType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            if (etherType != EtherTypeVlan && etherType != EtherTypeQinQ)
            {
                return IsIpEtherType(etherType) ? offset + 2 : -1;
            }

            offset += 4;
        }

        return -1;
    }

    private static bool IsIpEtherType(int etherType) => etherType == EtherTypeIPv4 || etherType == EtherTypeIPv6;

    private static TransportSegment? DecodeIPv4(ReadOnlySpan<byte> ip, PcapFrame frame)
    {
        if (ip.Length < 20)
        {
            return null;
        }

        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        int fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        // More-fragments flag or a fragment offset: not reassembled here.
        if ((fragment & 0x3FFF) != 0 || headerLength < 20 || totalLength < headerLength || totalLength > ip.Length)
        {
            return null;
        }

        var source = new IPAddress(ip.Slice(12, 4));
        var destination = new IPAddress(ip.Slice(16, 4));
        // totalLength drops Ethernet padding after short packets.
        return DecodeTransport(ip[9], ip[headerLength..totalLength], source, destination, frame);
    }

    private static TransportSegment? DecodeIPv6(ReadOnlySpan<byte> ip, PcapFrame frame)
    {
        if (ip.Length < 40)
        {
            return null;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (40 + payloadLength > ip.Length)
        {
            return null;
        }

        byte nextHeader = ip[6];
        var source = new IPAddress(ip.Slice(8, 16));
        var destination = new IPAddress(ip.Slice(24, 16));
        var payload = ip.Slice(40, payloadLength);
        // RFC 8200 4: walk extension headers (bounded) to the upper-layer header.
        for (int hop = 0; hop < 8; hop++)
        {
            switch (nextHeader)
            {
                case 0:  // Hop-by-Hop Options
                case 43: // Routing
                case 60: // Destination Options
                    if (payload.Length < 2 || (payload[1] + 1) * 8 > payload.Length)
                    {
                        return null;
                    }

                    nextHeader = payload[0];
                    payload = payload[((payload[1] + 1) * 8)..];
                    break;
                case 51: // Authentication Header (RFC 4302 2.2: length in 4-byte units, minus 2)
                    if (payload.Length < 2 || (payload[1] + 2) * 4 > payload.Length)
                    {
                        return null;
                    }

                    nextHeader = payload[0];
                    payload = payload[((payload[1] + 2) * 4)..];
                    break;
                case 44: // Fragment: not reassembled here.
                    return null;
                default:
                    return DecodeTransport(nextHeader, payload, source, destination, frame);
            }
        }

        return null;
    }

    private static TransportSegment? DecodeTransport(byte protocol, ReadOnlySpan<byte> segment, IPAddress source, IPAddress destination, PcapFrame frame)
    {
        if (protocol == ProtocolUdp && segment.Length >= 8)
        {
            int udpLength = BinaryPrimitives.ReadUInt16BigEndian(segment[4..]);
            if (udpLength < 8 || udpLength > segment.Length)
            {
                return null;
            }

            return new TransportSegment(
                CapturedTransport.Udp,
                new IPEndPoint(source, BinaryPrimitives.ReadUInt16BigEndian(segment)),
                new IPEndPoint(destination, BinaryPrimitives.ReadUInt16BigEndian(segment[2..])),
                segment[8..udpLength].ToArray(),
                0,
                false,
                frame.Index,
                frame.Timestamp);
        }

        if (protocol == ProtocolTcp && segment.Length >= 20)
        {
            int dataOffset = (segment[12] >> 4) * 4;
            if (dataOffset < 20 || dataOffset > segment.Length)
            {
                return null;
            }

            bool syn = (segment[13] & 0x02) != 0;
            return new TransportSegment(
                CapturedTransport.Tcp,
                new IPEndPoint(source, BinaryPrimitives.ReadUInt16BigEndian(segment)),
                new IPEndPoint(destination, BinaryPrimitives.ReadUInt16BigEndian(segment[2..])),
                segment[dataOffset..].ToArray(),
                BinaryPrimitives.ReadUInt32BigEndian(segment[4..]),
                syn,
                frame.Index,
                frame.Timestamp);
        }

        return null;
    }
}
