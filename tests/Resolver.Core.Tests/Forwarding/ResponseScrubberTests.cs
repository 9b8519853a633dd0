using System.Net;
using Resolver.Core.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Forwarding;

public class ResponseScrubberTests
{
    private static readonly DnsQuestion Question = new(DnsName.Parse("www.example."), RecordType.A);

    private static DnsRecord Record(string name, RecordType type, DnsRecordData data) => new(DnsName.Parse(name), type, RecordClass.IN, 300, data);

    private static DnsRecord Soa(string zone) => Record(zone, RecordType.SOA,
        new SoaRecordData(DnsName.Parse("ns." + zone), DnsName.Parse("admin." + zone), 1, 2, 3, 4, 60));

    [Test]
    public void Negative_answer_keeps_the_soa_of_its_zone_and_drops_other_authority()
    {
        var response = new DnsMessage { ResponseCode = DnsResponseCode.NXDomain };
        response.Authorities.Add(Record("example.", RecordType.NS, new NameRecordData(RecordType.NS, DnsName.Parse("ns.example."))));
        response.Authorities.Add(Soa("other.test."));
        response.Authorities.Add(Soa("example."));
        var scrubbed = ResponseScrubber.Scrub(response, Question);
        Assert.That(scrubbed.Authorities.Select(r => r.ToString()), Is.EqualTo(new[] { Soa("example.").ToString() }));
        Assert.That(scrubbed.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
    }

    [Test]
    public void Chain_is_followed_in_any_order_and_records_beside_it_are_dropped()
    {
        var response = new DnsMessage();
        response.Answers.Add(Record("web.example.", RecordType.A, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        response.Answers.Add(Record("www.example.", RecordType.TXT, new TxtRecordData([[0x61]])));
        response.Answers.Add(Record("www.example.", RecordType.CNAME, new NameRecordData(RecordType.CNAME, DnsName.Parse("web.example."))));
        response.Answers.Add(Record("evil.test.", RecordType.A, new ARecordData(IPAddress.Parse("203.0.113.1"))));
        var scrubbed = ResponseScrubber.Scrub(response, Question);
        Assert.That(scrubbed.Answers.Select(r => r.Type), Is.EqualTo(new[] { RecordType.A, RecordType.CNAME }));
        Assert.That(scrubbed.Answers.All(r => r.Name != DnsName.Parse("evil.test.")), Is.True);
    }

    [Test]
    public void Addresses_of_an_mx_exchange_are_kept_as_related_additional_data()
    {
        var question = new DnsQuestion(DnsName.Parse("example."), RecordType.MX);
        var response = new DnsMessage();
        response.Answers.Add(Record("example.", RecordType.MX, new MxRecordData(10, DnsName.Parse("mail.example."))));
        response.Additionals.Add(Record("mail.example.", RecordType.A, new ARecordData(IPAddress.Parse("192.0.2.25"))));
        response.Additionals.Add(Record("other.example.", RecordType.A, new ARecordData(IPAddress.Parse("192.0.2.26"))));
        var scrubbed = ResponseScrubber.Scrub(response, question);
        Assert.That(scrubbed.Additionals.Select(r => r.Name.ToString()), Is.EqualTo(new[] { "mail.example." }));
    }
}
