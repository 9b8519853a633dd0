using System.Net;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Protocol.Tests.Edns;

public class MessagePaddingTests
{
    [TestCase(1)]
    [TestCase(12)]
    public void A_response_is_padded_to_a_multiple_of_468_octets_and_keeps_every_record(int addresses)
    {
        var response = Response(addresses, new EdnsRecord());
        var buffer = new byte[4096];
        int length = Write(response, buffer);

        int padded = MessagePadding.Pad(buffer, length, MessagePadding.ResponseBlock);

        Assert.That(padded % MessagePadding.ResponseBlock, Is.Zero, $"length {padded}");
        var parsed = DnsMessage.Parse(buffer.AsSpan(0, padded));
        Assert.That(parsed.Answers.Select(record => record.Data.ToString()), Is.EqualTo(response.Answers.Select(record => record.Data.ToString())));
        Assert.That(parsed.Edns!.Options.OfType<PaddingOption>().Single().Data, Is.All.Zero);
    }

    [Test]
    public void A_message_without_an_opt_record_is_left_as_it_is()
    {
        var buffer = new byte[4096];
        int length = Write(Response(1, edns: null), buffer);
        var before = buffer.AsSpan(0, length).ToArray();

        Assert.That(MessagePadding.Pad(buffer, length, MessagePadding.ResponseBlock), Is.EqualTo(length));
        Assert.That(buffer.AsSpan(0, length).ToArray(), Is.EqualTo(before));
    }

    [Test]
    public void A_message_already_padded_is_not_padded_twice()
    {
        var edns = new EdnsRecord();
        edns.Options.Add(new PaddingOption(3));
        var buffer = new byte[4096];
        int length = Write(Response(1, edns), buffer);

        Assert.That(MessagePadding.Pad(buffer, length, MessagePadding.ResponseBlock), Is.EqualTo(length));
    }

    [Test]
    public void A_message_whose_padding_would_not_fit_the_buffer_is_left_as_it_is()
    {
        var buffer = new byte[4096];
        int length = Write(Response(1, new EdnsRecord()), buffer);

        Assert.That(MessagePadding.Pad(buffer.AsSpan(0, length + 10), length, MessagePadding.ResponseBlock), Is.EqualTo(length));
    }

    [Test]
    public void A_message_whose_opt_is_not_last_is_left_as_it_is()
    {
        var buffer = new byte[4096];
        int length = Write(Response(1, new EdnsRecord()), buffer);
        // Append one more A record after the OPT and count it: the OPT can no longer grow in place.
        var extra = new byte[] { 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9 };
        extra.CopyTo(buffer, length);
        buffer[11]++;
        length += extra.Length;

        Assert.That(MessagePadding.Pad(buffer, length, MessagePadding.ResponseBlock), Is.EqualTo(length));
    }

    [Test]
    public void The_query_reader_sees_a_padding_option_in_a_query()
    {
        var edns = new EdnsRecord();
        edns.Options.Add(new PaddingOption(0));
        var padded = DnsMessage.CreateQuery(7, DnsName.Parse("a.example."), RecordType.A, edns: edns).ToArray();
        var plain = DnsMessage.CreateQuery(7, DnsName.Parse("a.example."), RecordType.A, edns: new EdnsRecord()).ToArray();
        Span<byte> name = stackalloc byte[255];

        Assert.That(QueryReader.Read(padded, name).Edns.Padding, Is.True);
        Assert.That(QueryReader.Read(plain, name).Edns.Padding, Is.False);
    }

    private static DnsMessage Response(int addresses, EdnsRecord? edns)
    {
        var message = DnsMessage.CreateQuery(7, DnsName.Parse("padded.example."), RecordType.A, edns: edns);
        message.IsResponse = true;
        for (int i = 0; i < addresses; i++)
            message.Answers.Add(new DnsRecord(DnsName.Parse("padded.example."), RecordType.A, RecordClass.IN, 60, new ARecordData(IPAddress.Parse($"192.0.2.{i + 1}"))));
        return message;
    }

    private static int Write(DnsMessage message, byte[] buffer)
    {
        Assert.That(message.TryWrite(buffer, out int written), Is.True);
        return written;
    }
}
