using System.Net;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Protocol.Tests.Messages;

public class MessageRoundTripTests
{
    private static DnsMessage SampleResponse()
    {
        var message = DnsMessage.CreateQuery(0xBEEF, DnsName.Parse("www.example.com."), RecordType.A, edns: new EdnsRecord { DnssecOk = true });
        message.IsResponse = true;
        message.RecursionAvailable = true;
        var owner = DnsName.Parse("www.example.com.");
        message.Answers.Add(new DnsRecord(owner, RecordType.CNAME, RecordClass.IN, 300, new NameRecordData(RecordType.CNAME, DnsName.Parse("web.example.com."))));
        message.Answers.Add(new DnsRecord(DnsName.Parse("web.example.com."), RecordType.A, RecordClass.IN, 60, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        message.Authorities.Add(new DnsRecord(DnsName.Parse("example.com."), RecordType.SOA, RecordClass.IN, 3600,
            new SoaRecordData(DnsName.Parse("ns1.example.com."), DnsName.Parse("hostmaster.example.com."), 2024010101, 7200, 3600, 1209600, 300)));
        message.Additionals.Add(new DnsRecord(DnsName.Parse("x.example.com."), (RecordType)65400, RecordClass.IN, 5, new UnknownRecordData([1, 2, 3])));
        return message;
    }

    [Test]
    public void Written_message_parses_back_to_the_same_records()
    {
        var original = SampleResponse();
        var bytes = original.ToArray();
        var parsed = DnsMessage.Parse(bytes);

        Assert.That(parsed.Id, Is.EqualTo(0xBEEF));
        Assert.That(parsed.Questions[0].Name.EqualsExactly(DnsName.Parse("www.example.com.")), Is.True);
        Assert.That(parsed.Answers.Select(r => r.ToString()), Is.EqualTo(original.Answers.Select(r => r.ToString())));
        Assert.That(parsed.Authorities.Select(r => r.ToString()), Is.EqualTo(original.Authorities.Select(r => r.ToString())));
        Assert.That(parsed.Additionals[0].ToString(), Is.EqualTo("x.example.com.\t5\tIN\tTYPE65400\t\\# 3 010203"));
        Assert.That(parsed.Edns!.DnssecOk, Is.True);
        Assert.That(parsed.ToArray(), Is.EqualTo(bytes), "re-encoding is byte-identical");
    }

    [Test]
    public void Owner_names_are_compressed_against_earlier_names()
    {
        var bytes = SampleResponse().ToArray();
        var uncompressedSize = 12 + 17 + 4;
        Assert.That(bytes.Length, Is.LessThan(uncompressedSize + 4 * 40), "names should be pointers");
        // The first answer's owner equals the question name: it must be a pointer to offset 12.
        int answerStart = 12 + DnsName.Parse("www.example.com.").WireLength + 4;
        Assert.That(bytes[answerStart], Is.EqualTo(0xC0));
        Assert.That(bytes[answerStart + 1], Is.EqualTo(12));
    }

    [Test]
    public void Compression_keeps_each_name_in_its_own_letter_case()
    {
        var message = SampleResponse();
        message.Questions[0] = new DnsQuestion(DnsName.Parse("WWW.Example.com."), RecordType.A);
        var parsed = DnsMessage.Parse(message.ToArray());
        Assert.That(parsed.Questions[0].Name.ToString(), Is.EqualTo("WWW.Example.com."));
        Assert.That(parsed.Answers[0].Name.ToString(), Is.EqualTo("www.example.com."));
    }

    [Test]
    public void Extended_rcode_travels_through_opt()
    {
        var message = SampleResponse();
        message.ResponseCode = DnsResponseCode.BadVers;
        var parsed = DnsMessage.Parse(message.ToArray());
        Assert.That(parsed.ResponseCode, Is.EqualTo(DnsResponseCode.BadVers));
    }

    [Test]
    public void Too_small_destination_reports_overflow_instead_of_throwing()
    {
        var buffer = new byte[40];
        Assert.That(SampleResponse().TryWrite(buffer, out int written), Is.False);
        Assert.That(written, Is.Zero);
    }

    [Test]
    public void Query_reader_reads_header_question_and_edns_without_full_parse()
    {
        var bytes = SampleResponse().ToArray();
        Span<byte> name = stackalloc byte[255];
        var info = QueryReader.Read(bytes, name);
        Assert.That(info.Header.Id, Is.EqualTo(0xBEEF));
        Assert.That(info.Type, Is.EqualTo(RecordType.A));
        Assert.That(DnsName.FromWire(name[..info.NameLength]).ToString(), Is.EqualTo("www.example.com."));
        Assert.That(info.Edns.Present && info.Edns.DnssecOk && info.Edns.UdpPayloadSize == 1232, Is.True);
    }
}
