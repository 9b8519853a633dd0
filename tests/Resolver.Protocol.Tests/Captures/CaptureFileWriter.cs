using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// Builds small capture files in memory so the reader can be tested on link
/// types, byte orders and TCP shapes that the shipped captures do not have.
/// Checksums are left zero: the reader does not check them.
/// </summary>
public static class CaptureFileWriter
{
    /// <summary>A UDP datagram as an IPv4 or IPv6 packet (by the source address's family).</summary>
    public static byte[] UdpPacket(IPEndPoint source, IPEndPoint destination, byte[] payload)
    {
        var udp = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), (ushort)destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        payload.CopyTo(udp, 8);
        return IpPacket(17, source.Address, destination.Address, udp);
    }

    /// <summary>A TCP segment (ACK set, SYN when asked) as an IPv4 or IPv6 packet.</summary>
    public static byte[] TcpPacket(IPEndPoint source, IPEndPoint destination, uint sequence, byte[] payload, bool syn = false)
    {
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)destination.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), sequence);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)(syn ? 0x02 : 0x10);
        payload.CopyTo(tcp, 20);
        return IpPacket(6, source.Address, destination.Address, tcp);
    }

    /// <summary>An IP packet wrapped in the link header of <paramref name="linkType"/>.</summary>
    public static byte[] Frame(int linkType, byte[] ipPacket)
    {
        bool v6 = ipPacket[0] >> 4 == 6;
        ushort etherType = v6 ? (ushort)0x86DD : (ushort)0x0800;
        byte[] header = linkType switch
        {
            LinkTypes.Ethernet => EthernetHeader(etherType),
            LinkTypes.LinuxSll => SllHeader(etherType),
            LinkTypes.LinuxSll2 => Sll2Header(etherType),
            // BSD loopback, written little-endian as a little-endian host would; 30 is macOS's AF_INET6.
            LinkTypes.Null => BitConverter.GetBytes(v6 ? 30 : 2),
            LinkTypes.Raw => [],
            _ => throw new ArgumentOutOfRangeException(nameof(linkType)),
        };
        return [.. header, .. ipPacket];
    }

    /// <summary>A classic pcap file holding the frames.</summary>
    public static byte[] ClassicPcap(int linkType, IReadOnlyList<byte[]> frames, bool bigEndian = false, bool nanoseconds = false)
    {
        using var file = new MemoryStream();
        var header = new byte[24];
        WriteUInt32(header, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4, bigEndian);
        WriteUInt16(header.AsSpan(4), 2, bigEndian);
        WriteUInt16(header.AsSpan(6), 4, bigEndian);
        WriteUInt32(header.AsSpan(16), 65535, bigEndian);
        WriteUInt32(header.AsSpan(20), (uint)linkType, bigEndian);
        file.Write(header);
        for (int i = 0; i < frames.Count; i++)
        {
            var record = new byte[16];
            WriteUInt32(record, 1_700_000_000u + (uint)i, bigEndian);
            WriteUInt32(record.AsSpan(4), 500, bigEndian);
            WriteUInt32(record.AsSpan(8), (uint)frames[i].Length, bigEndian);
            WriteUInt32(record.AsSpan(12), (uint)frames[i].Length, bigEndian);
            file.Write(record);
            file.Write(frames[i]);
        }

        return file.ToArray();
    }

    /// <summary>A little-endian pcapng file: one section, one interface, one Enhanced Packet Block per frame.</summary>
    public static byte[] PcapNg(int linkType, IReadOnlyList<byte[]> frames)
    {
        using var file = new MemoryStream();
        var section = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(section, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(section.AsSpan(8), -1);
        WriteBlock(file, 0x0A0D0D0A, section);
        var description = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(description, (ushort)linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(description.AsSpan(4), 65535);
        WriteBlock(file, 1, description);
        for (int i = 0; i < frames.Count; i++)
        {
            var packet = new byte[20 + ((frames[i].Length + 3) & ~3)];
            ulong microseconds = 1_700_000_000_000_000UL + (ulong)i;
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), (uint)(microseconds >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(8), (uint)microseconds);
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(12), (uint)frames[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(16), (uint)frames[i].Length);
            frames[i].CopyTo(packet, 20);
            WriteBlock(file, 6, packet);
        }

        return file.ToArray();
    }

    private static byte[] IpPacket(byte protocol, IPAddress source, IPAddress destination, byte[] transport)
    {
        if (source.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = new byte[40 + transport.Length];
            v6[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(4), (ushort)transport.Length);
            v6[6] = protocol;
            v6[7] = 64;
            source.GetAddressBytes().CopyTo(v6, 8);
            destination.GetAddressBytes().CopyTo(v6, 24);
            transport.CopyTo(v6, 40);
            return v6;
        }

        var v4 = new byte[20 + transport.Length];
        v4[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(2), (ushort)v4.Length);
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(6), 0x4000); // Don't Fragment
        v4[8] = 64;
        v4[9] = protocol;
        source.GetAddressBytes().CopyTo(v4, 12);
        destination.GetAddressBytes().CopyTo(v4, 16);
        transport.CopyTo(v4, 20);
        return v4;
    }

    private static byte[] EthernetHeader(ushort etherType)
    {
        var header = new byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), etherType);
        return header;
    }

    private static byte[] SllHeader(ushort etherType)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), 772); // ARPHRD_LOOPBACK
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), etherType);
        return header;
    }

    private static byte[] Sll2Header(ushort etherType)
    {
        var header = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(header, etherType);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), 772);
        return header;
    }

    private static void WriteBlock(MemoryStream file, uint type, byte[] body)
    {
        var lengths = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(lengths, (uint)(12 + body.Length));
        var typeBytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(typeBytes, type);
        file.Write(typeBytes);
        file.Write(lengths);
        file.Write(body);
        file.Write(lengths);
    }

    private static void WriteUInt32(Span<byte> bytes, uint value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
    }

    private static void WriteUInt16(Span<byte> bytes, ushort value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }
    }
}
