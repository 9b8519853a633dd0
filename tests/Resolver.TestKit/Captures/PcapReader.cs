using NUnit.Framework;

namespace Resolver.TestKit.Captures;

/// <summary>
/// Reads the DNS messages of a capture: every UDP payload and every
/// length-prefixed message of every reassembled TCP stream, in the order the
/// capture saw them (a TCP message by the frame that carried its last byte).
/// Knows nothing of DNS beyond RFC 1035 4.2.2 framing: payloads are raw bytes.
/// </summary>
public static class PcapReader
{
    /// <summary>The folder the test project copies tests/captures/ into.</summary>
    public static string CapturesDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "captures");

    /// <summary>Path of a capture shipped in tests/captures/, e.g. <c>CapturePath("dig-udp.pcap")</c>.</summary>
    public static string CapturePath(string fileName) => Path.Combine(CapturesDirectory, fileName);

    /// <summary>DNS messages of a shipped capture, by file name (e.g. "truncation.pcap").</summary>
    public static IReadOnlyList<CapturedDnsMessage> ReadCapture(string fileName, int? dnsPort = null) =>
        ReadDnsMessages(File.ReadAllBytes(CapturePath(fileName)), dnsPort);

    /// <summary>DNS messages of a pcap or pcapng file on disk.</summary>
    public static IReadOnlyList<CapturedDnsMessage> ReadDnsMessages(string path, int? dnsPort) =>
        ReadDnsMessages(File.ReadAllBytes(path), dnsPort);

    /// <summary>
    /// DNS messages of a pcap or pcapng file's bytes. With <paramref name="dnsPort"/>
    /// only traffic to or from that port counts; without it every UDP and TCP
    /// payload is taken as DNS (the shipped captures hold nothing else).
    /// </summary>
    public static IReadOnlyList<CapturedDnsMessage> ReadDnsMessages(byte[] file, int? dnsPort = null)
    {
        var udp = new List<CapturedDnsMessage>();
        var tcp = new TcpStreamReassembler();
        foreach (var frame in PcapFileReader.ReadFrames(file))
        {
            var segment = PacketDecoder.Decode(frame);
            if (segment is null || !IsDnsPort(segment, dnsPort))
            {
                continue;
            }

            if (segment.Transport == CapturedTransport.Tcp)
            {
                tcp.Add(segment);
            }
            else if (segment.Payload.Length > 0)
            {
                udp.Add(new CapturedDnsMessage(segment.Payload, CapturedTransport.Udp, segment.Source, segment.Destination, segment.FrameIndex, segment.Timestamp));
            }
        }

        return InFrameOrder(udp, tcp.DnsMessages());
    }

    private static bool IsDnsPort(TransportSegment segment, int? dnsPort) =>
        dnsPort is not { } port || segment.Source.Port == port || segment.Destination.Port == port;

    private static List<CapturedDnsMessage> InFrameOrder(List<CapturedDnsMessage> udp, IReadOnlyList<CapturedDnsMessage> tcp)
    {
        var all = new List<(CapturedDnsMessage Message, int Order)>(udp.Count + tcp.Count);
        foreach (var message in udp)
        {
            all.Add((message, all.Count));
        }

        foreach (var message in tcp)
        {
            all.Add((message, all.Count));
        }

        // Stable: several messages ending in one frame keep their stream order.
        all.Sort((a, b) => a.Message.FrameIndex != b.Message.FrameIndex
            ? a.Message.FrameIndex.CompareTo(b.Message.FrameIndex)
            : a.Order.CompareTo(b.Order));
        var ordered = new List<CapturedDnsMessage>(all.Count);
        foreach (var (message, _) in all)
        {
            ordered.Add(message);
        }

        return ordered;
    }
}
