using System.Net;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// TCP shapes the shipped loopback captures do not show (loopback hands over
/// whole writes): reordering, retransmission, messages across segment
/// boundaries, sequence wrap-around, gaps and port reuse.
/// </summary>
public class TcpStreamReassemblerTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 53);

    [Test]
    public void Out_of_order_and_retransmitted_segments_give_each_byte_once_in_sequence_order()
    {
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Syn(1000));
        reassembler.Add(Data(1005, [5, 6, 7]));
        reassembler.Add(Data(1001, [1, 2, 3, 4]));
        reassembler.Add(Data(1001, [1, 2, 3, 4]));   // retransmission
        reassembler.Add(Data(1003, [3, 4, 5, 6]));   // overlapping retransmission
        reassembler.Add(Data(1008, [8]));

        Assert.That(reassembler.Streams().Single(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    [Test]
    public void Message_split_across_segments_and_two_messages_in_one_segment_are_cut_by_length_prefix()
    {
        byte[] first = Message(0x1111, 20);
        byte[] second = Message(0x2222, 14);
        byte[] third = Message(0x3333, 30);
        byte[] stream = [.. Framed(first), .. Framed(second), .. Framed(third)];
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Syn(7));
        // Segment 1 ends inside the first message's length prefix; segment 2 holds
        // the rest of message 1, all of message 2 and the start of message 3.
        reassembler.Add(Data(8, stream[..1], frame: 1));
        reassembler.Add(Data(9, stream[1..40], frame: 2));
        reassembler.Add(Data(8 + 40, stream[40..], frame: 3));

        var messages = reassembler.DnsMessages();

        Assert.That(messages.Select(m => m.Payload), Is.EqualTo(new[] { first, second, third }));
        Assert.That(messages.Select(m => m.FrameIndex), Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(messages, Has.All.Property(nameof(CapturedDnsMessage.Transport)).EqualTo(CapturedTransport.Tcp));
        Assert.That(messages[0].Source, Is.EqualTo(Client));
        Assert.That(messages[0].Destination, Is.EqualTo(Server));
    }

    [Test]
    public void Sequence_numbers_that_wrap_past_two_to_the_32_keep_stream_order()
    {
        byte[] message = Message(0xABCD, 40);
        byte[] framed = Framed(message);
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Syn(uint.MaxValue - 10));
        // Stream starts at 2^32 - 10; the second half lands after the wrap.
        reassembler.Add(Data(unchecked(uint.MaxValue - 9 + 20), framed[20..]));
        reassembler.Add(Data(uint.MaxValue - 9, framed[..20]));

        Assert.That(reassembler.DnsMessages().Single().Payload, Is.EqualTo(message));
    }

    [Test]
    public void Capture_started_mid_connection_begins_at_the_lowest_sequence_seen()
    {
        byte[] framed = Framed(Message(0x0101, 16));
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Data(5010, framed[10..]));
        reassembler.Add(Data(5000, framed[..10]));

        Assert.That(reassembler.DnsMessages(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Bytes_after_a_gap_and_a_message_cut_off_by_the_capture_end_are_left_out()
    {
        byte[] whole = Framed(Message(0x0001, 12));
        byte[] cut = Framed(Message(0x0002, 12));
        byte[] afterGap = Framed(Message(0x0003, 12));
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Syn(0));
        reassembler.Add(Data(1, [.. whole, .. cut[..5]]));
        reassembler.Add(Data((uint)(1 + whole.Length + cut.Length), afterGap));

        Assert.That(reassembler.DnsMessages().Select(m => m.Payload), Is.EqualTo(new[] { whole[2..] }));
    }

    [Test]
    public void A_new_syn_on_the_same_ports_starts_a_new_stream()
    {
        var reassembler = new TcpStreamReassembler();
        reassembler.Add(Syn(100));
        reassembler.Add(Data(101, Framed(Message(0x0A0A, 12))));
        reassembler.Add(Syn(9000));
        reassembler.Add(Data(9001, Framed(Message(0x0B0B, 12))));

        Assert.That(reassembler.Streams(), Has.Count.EqualTo(2));
        Assert.That(reassembler.DnsMessages().Select(m => m.Payload[0]), Is.EqualTo(new byte[] { 0x0A, 0x0B }));
    }

    private static TransportSegment Syn(uint sequence) =>
        new(CapturedTransport.Tcp, Client, Server, [], sequence, true, 0, DateTimeOffset.UnixEpoch);

    private static TransportSegment Data(uint sequence, byte[] payload, int frame = 0) =>
        new(CapturedTransport.Tcp, Client, Server, payload, sequence, false, frame, DateTimeOffset.UnixEpoch);

    /// <summary>A message-shaped payload: ID first, then filler (the reassembler reads no further).</summary>
    private static byte[] Message(ushort id, int length)
    {
        var message = new byte[length];
        message[0] = (byte)(id >> 8);
        message[1] = (byte)id;
        for (int i = 2; i < length; i++)
        {
            message[i] = (byte)i;
        }

        return message;
    }

    /// <summary>RFC 1035 4.2.2: a two-byte big-endian length before each message.</summary>
    private static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];
}
