using System.Net;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Text;

public class DigFormatterTests
{
    [Test]
    public void Response_prints_with_digs_header_flags_sections_and_footer()
    {
        var message = DnsMessage.CreateQuery(4242, DnsName.Parse("example.com."), RecordType.A, edns: new EdnsRecord { DnssecOk = true });
        message.IsResponse = true;
        message.RecursionAvailable = true;
        message.Answers.Add(new DnsRecord(DnsName.Parse("example.com."), RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse("192.0.2.7"))));

        string text = DigFormatter.Format(message, "127.0.0.1#53(127.0.0.1)", "UDP", TimeSpan.FromMilliseconds(12), 56,
            new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

        Assert.That(text, Does.Contain(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242\n"));
        Assert.That(text, Does.Contain(";; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"), "OPT counts as additional, as in dig");
        Assert.That(text, Does.Contain("; EDNS: version: 0, flags: do; udp: 1232\n"));
        Assert.That(text, Does.Contain(";; QUESTION SECTION:\n;example.com.\t\tIN\tA\n"));
        Assert.That(text, Does.Contain(";; ANSWER SECTION:\nexample.com.\t300\tIN\tA\t192.0.2.7\n"));
        Assert.That(text, Does.Contain(";; Query time: 12 msec\n;; SERVER: 127.0.0.1#53(127.0.0.1) (UDP)\n"));
        Assert.That(text, Does.Contain(";; MSG SIZE  rcvd: 56\n"));
        Assert.That(text, Does.Not.Contain("AUTHORITY SECTION"), "empty sections are left out");
    }

    [Test]
    public void Short_form_prints_only_the_answer_rdata()
    {
        var message = new DnsMessage();
        message.Answers.Add(new DnsRecord(DnsName.Parse("a."), RecordType.MX, RecordClass.IN, 1, new MxRecordData(10, DnsName.Parse("mx.a."))));
        Assert.That(DigFormatter.FormatShort(message), Is.EqualTo("10 mx.a.\n"));
    }
}
