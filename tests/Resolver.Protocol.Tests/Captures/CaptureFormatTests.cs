using System.Net;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// The same DNS exchange written in each file format, byte order and link type
/// the reader claims, built in memory, reads back to the same payloads.
/// </summary>
public class CaptureFormatTests
{
    private static readonly byte[] Query = Convert.FromHexString("BEEF01000001000000000000036E733107636170747572650474657374000001 0001".Replace(" ", ""));
    private static readonly byte[] Response = Convert.FromHexString("BEEF81800001000100000000036E733107636170747572650474657374000001 0001C00C000100010000012C0004C0000235".Replace(" ", ""));

    private static readonly int[] LinkTypesRead = [LinkTypes.Ethernet, LinkTypes.LinuxSll, LinkTypes.LinuxSll2, LinkTypes.Null, LinkTypes.Raw];

    [Test]
    public void Udp_over_every_link_type_and_both_ip_versions_reads_back_with_endpoints(
        [ValueSource(nameof(LinkTypesRead))] int linkType,
        [Values("127.0.0.1", "::1")] string address)
    {
        var client = new IPEndPoint(IPAddress.Parse(address), 41000);
        var server = new IPEndPoint(IPAddress.Parse(address), 5399);
        var frames = new[]
        {
            CaptureFileWriter.Frame(linkType, CaptureFileWriter.UdpPacket(client, server, Query)),
            CaptureFileWriter.Frame(linkType, CaptureFileWriter.UdpPacket(server, client, Response)),
        };

        var messages = PcapReader.ReadDnsMessages(CaptureFileWriter.ClassicPcap(linkType, frames));

        Assert.That(messages.Select(m => m.Payload), Is.EqualTo(new[] { Query, Response }));
        Assert.That(messages[0].Source, Is.EqualTo(client));
        Assert.That(messages[0].Destination, Is.EqualTo(server));
        Assert.That(messages[1].FrameIndex, Is.EqualTo(1));
        Assert.That(messages[1].IsResponse, Is.True);
    }

    [Test]
    public void Classic_pcap_in_either_byte_order_and_timestamp_unit_reads_the_same(
        [Values(false, true)] bool bigEndian,
        [Values(false, true)] bool nanoseconds)
    {
        byte[] file = CaptureFileWriter.ClassicPcap(LinkTypes.Ethernet, ExchangeFrames(LinkTypes.Ethernet), bigEndian, nanoseconds);

        var frames = PcapFileReader.ReadFrames(file);
        var messages = PcapReader.ReadDnsMessages(file);

        Assert.That(messages.Select(m => m.Payload), Is.EqualTo(new[] { Query, Response }));
        long expectedTicks = nanoseconds ? 5 : 5_000; // 500 ns or 500 us, in 100 ns ticks
        Assert.That(frames[0].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(expectedTicks)));
    }

    [Test]
    public void Pcapng_enhanced_packet_blocks_read_like_classic_pcap()
    {
        var messages = PcapReader.ReadDnsMessages(CaptureFileWriter.PcapNg(LinkTypes.LinuxSll2, ExchangeFrames(LinkTypes.LinuxSll2)));

        Assert.That(messages.Select(m => m.Payload), Is.EqualTo(new[] { Query, Response }));
    }

    [Test]
    public void Tcp_over_ipv6_is_reassembled_and_ordered_with_udp_by_frame()
    {
        var client = new IPEndPoint(IPAddress.IPv6Loopback, 42000);
        var server = new IPEndPoint(IPAddress.IPv6Loopback, 5399);
        byte[] framedQuery = [0, (byte)Query.Length, .. Query];
        var frames = new[]
        {
            CaptureFileWriter.Frame(LinkTypes.Ethernet, CaptureFileWriter.TcpPacket(client, server, 99, [], syn: true)),
            CaptureFileWriter.Frame(LinkTypes.Ethernet, CaptureFileWriter.TcpPacket(client, server, 100, framedQuery[..7])),
            CaptureFileWriter.Frame(LinkTypes.Ethernet, CaptureFileWriter.UdpPacket(server, client, Response)),
            CaptureFileWriter.Frame(LinkTypes.Ethernet, CaptureFileWriter.TcpPacket(client, server, 107, framedQuery[7..])),
        };

        var messages = PcapReader.ReadDnsMessages(CaptureFileWriter.ClassicPcap(LinkTypes.Ethernet, frames));

        Assert.That(messages.Select(m => m.Transport), Is.EqualTo(new[] { CapturedTransport.Udp, CapturedTransport.Tcp }));
        Assert.That(messages[1].Payload, Is.EqualTo(Query));
        Assert.That(messages[1].FrameIndex, Is.EqualTo(3));
    }

    [Test]
    public void Traffic_on_other_ports_is_left_out_when_a_dns_port_is_given()
    {
        var client = new IPEndPoint(IPAddress.Loopback, 41000);
        var frames = new[]
        {
            CaptureFileWriter.Frame(LinkTypes.Raw, CaptureFileWriter.UdpPacket(client, new IPEndPoint(IPAddress.Loopback, 53), Query)),
            CaptureFileWriter.Frame(LinkTypes.Raw, CaptureFileWriter.UdpPacket(client, new IPEndPoint(IPAddress.Loopback, 123), Query)),
        };

        var messages = PcapReader.ReadDnsMessages(CaptureFileWriter.ClassicPcap(LinkTypes.Raw, frames), dnsPort: 53);

        Assert.That(messages.Select(m => m.Destination.Port), Is.EqualTo(new[] { 53 }));
    }

    [Test]
    public void A_file_that_is_not_a_capture_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => PcapFileReader.ReadFrames(new byte[32]));
    }

    [Test]
    public void A_frame_cut_short_by_the_end_of_the_file_is_rejected()
    {
        byte[] file = CaptureFileWriter.ClassicPcap(LinkTypes.Ethernet, ExchangeFrames(LinkTypes.Ethernet));

        Assert.Throws<InvalidDataException>(() => PcapFileReader.ReadFrames(file[..^3]));
    }

    private static byte[][] ExchangeFrames(int linkType)
    {
        var client = new IPEndPoint(IPAddress.Loopback, 41000);
        var server = new IPEndPoint(IPAddress.Loopback, 5399);
        return
        [
            CaptureFileWriter.Frame(linkType, CaptureFileWriter.UdpPacket(client, server, Query)),
            CaptureFileWriter.Frame(linkType, CaptureFileWriter.UdpPacket(server, client, Response)),
        ];
    }
}
