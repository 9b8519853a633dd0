using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Text;

/// <summary>The real zone behind the packet captures (tests/zones/capture-test.zone) read end to end.</summary>
public class CaptureZoneTests
{
    private static IReadOnlyList<DnsRecord> ReadZone()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "zones", "capture-test.zone");
        return MasterFileReader.Read(File.ReadAllText(path), "capture-test.zone", DnsName.Root);
    }

    [Test]
    public void Capture_zone_reads_fully_with_every_type_it_holds()
    {
        var records = ReadZone();
        Assert.That(records, Has.Count.EqualTo(68), "one record per record line of the file");
        var types = records.Select(r => r.Type).ToHashSet();
        RecordType[] expected =
        [
            RecordType.SOA, RecordType.NS, RecordType.A, RecordType.AAAA, RecordType.MX, RecordType.TXT, RecordType.CAA,
            RecordType.DNSKEY, RecordType.NSEC, RecordType.NSEC3PARAM, RecordType.SSHFP, RecordType.RRSIG, RecordType.HTTPS,
            RecordType.TLSA, RecordType.CNAME, RecordType.DNAME, RecordType.PTR, RecordType.SRV, RecordType.NAPTR,
            RecordType.SVCB, RecordType.DS, RecordType.NSEC3, (RecordType)65400, (RecordType)65401,
        ];
        Assert.That(types, Is.SupersetOf(expected));
        Assert.That(records.Where(r => r.Type != (RecordType)65400 && r.Type != (RecordType)65401).Select(r => r.Data),
            Has.None.TypeOf<UnknownRecordData>());
        Assert.That(records[0].Name.ToString(), Is.EqualTo("capture.test."));
        Assert.That(records.Single(r => r.Type == RecordType.SOA).Ttl, Is.EqualTo(3600u));
        Assert.That(records.Where(r => r.Name.ToString() == "big.capture.test.").Select(r => r.Ttl), Is.All.EqualTo(300u));
    }

    [Test]
    public void Capture_zone_https_record_prints_in_key_order()
    {
        var https = ReadZone().Single(r => r.Type == RecordType.HTTPS);
        Assert.That(https.Name.ToString(), Is.EqualTo("www.capture.test."));
        Assert.That(https.Data.ToText(), Is.EqualTo(
            "1 . mandatory=alpn,port alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.80,192.0.2.81 "
            + "ech=7EX/rivbCVnD21bvp9EdZfQ2LsRIGahc1h9Y6g6Odj6DtFfduis5EA== ipv6hint=2001:db8::80"));
    }

    [Test]
    public void Every_capture_zone_record_round_trips_through_wire_and_text()
    {
        foreach (var record in ReadZone())
            Records.RdataAssert.RoundTrips(record.Type, record.Data);
    }

    [Test]
    public void Capture_zone_record_text_reads_back_as_a_master_file()
    {
        // DnsRecord.ToString is the dig line: owner, TTL, class, type, RDATA. A file of those lines is a valid zone.
        var records = ReadZone();
        string text = string.Join("\n", records.Select(r => r.ToString()));
        var again = MasterFileReader.Read(text, "printed.zone", DnsName.Root);
        Assert.That(again, Is.EqualTo(records));
    }
}
