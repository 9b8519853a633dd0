using Resolver.Core.Zones;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using static Resolver.Core.Tests.Zones.StageQuery;
using static Resolver.Core.Tests.Zones.ZoneRecords;

namespace Resolver.Core.Tests.Zones;

/// <summary>Additional section processing for MX, SRV and NS answers (RFC 1034 §4.3.2 step 6).</summary>
public class AdditionalAddressesTests
{
    private static LocalZoneStage Stage(ZoneSet zones) => new(ZoneCatalog.Fixed(zones), new LocalZoneOptions(), new ZoneMetrics());

    private static string[] Additional(DnsMessage message)
    {
        var data = new string[message.Additionals.Count];
        for (int i = 0; i < data.Length; i++)
            data[i] = message.Additionals[i].Name + " " + message.Additionals[i].Type + " " + message.Additionals[i].Data.ToText();
        return data;
    }

    /// <summary>svc.test.: MX and SRV targets in the zone, in another local zone, outside, below a cut and "."</summary>
    private static ZoneSet Zones()
    {
        var zone = new ZoneBuilder(DnsName.Parse("svc.test."), "zones/svc.test.zone");
        zone.Add(Soa("svc.test."));
        zone.Add(Record("svc.test.", Ns("ns1.svc.test.")));
        zone.Add(Record("svc.test.", Ns("ns.elsewhere.example.")));
        zone.Add(Record("ns1.svc.test.", A("192.0.2.53")));
        zone.Add(Record("svc.test.", new MxRecordData(10, DnsName.Parse("mail.svc.test."))));
        zone.Add(Record("svc.test.", new MxRecordData(20, DnsName.Parse("MAIL.svc.test."))));
        zone.Add(Record("svc.test.", new MxRecordData(30, DnsName.Parse("host.other.test."))));
        zone.Add(Record("svc.test.", new MxRecordData(40, DnsName.Parse("mx.elsewhere.example."))));
        zone.Add(Record("svc.test.", new MxRecordData(50, DnsName.Parse("mx.sub.svc.test."))));
        zone.Add(Record("mail.svc.test.", A("192.0.2.25")));
        zone.Add(Record("mail.svc.test.", Aaaa("2001:db8::25")));
        zone.Add(Record("sub.svc.test.", Ns("mx.sub.svc.test.")));
        zone.Add(Record("mx.sub.svc.test.", A("192.0.2.54")));
        zone.Add(Record("_sip._udp.svc.test.", new SrvRecordData(10, 60, 5060, DnsName.Parse("mail.svc.test."))));
        zone.Add(Record("_none._tcp.svc.test.", new SrvRecordData(0, 0, 0, DnsName.Root)));
        return new ZoneSet([zone.Build(), Other()]);
    }

    [Test]
    public void Mx_answer_carries_the_addresses_of_targets_held_in_local_zones_once_each()
    {
        var response = Answer(Stage(Zones()), Packet("svc.test.", RecordType.MX));
        Assert.That(response.Answers, Has.Count.EqualTo(5), Show(response));
        Assert.That(Additional(response), Is.EqualTo(new[]
        {
            "mail.svc.test. A 192.0.2.25",
            "mail.svc.test. AAAA 2001:db8::25",
            "host.other.test. A 198.51.100.7",
        }), "none for the outside target nor the one below the cut: " + Show(response));
    }

    [Test]
    public void Srv_and_ns_answers_carry_their_targets_addresses()
    {
        var stage = Stage(Zones());
        var srv = Answer(stage, Packet("_sip._udp.svc.test.", RecordType.SRV));
        var none = Answer(stage, Packet("_none._tcp.svc.test.", RecordType.SRV));
        var ns = Answer(stage, Packet("svc.test.", RecordType.NS));
        Assert.That(Additional(srv), Is.EqualTo(new[] { "mail.svc.test. A 192.0.2.25", "mail.svc.test. AAAA 2001:db8::25" }), Show(srv));
        Assert.That(none.Additionals, Is.Empty, Show(none));
        Assert.That(Additional(ns), Is.EqualTo(new[] { "ns1.svc.test. A 192.0.2.53" }), Show(ns));
    }

    [Test]
    public void Other_types_get_no_additional_addresses()
    {
        var response = Answer(Stage(Zones()), Packet("mail.svc.test.", RecordType.A));
        Assert.That(response.Additionals, Is.Empty, Show(response));
    }

    [Test]
    public void Additional_addresses_that_do_not_fit_are_left_out_without_truncation()
    {
        // 20 MX records fit in the 512 octets of a UDP answer without EDNS; their 20 A and 20 AAAA records do not.
        var zone = new ZoneBuilder(DnsName.Parse("many.test."), "zones/many.test.zone");
        zone.Add(Soa("many.test."));
        for (int i = 0; i < 20; i++)
        {
            var host = "mx" + i + ".many.test.";
            zone.Add(Record("many.test.", new MxRecordData((ushort)i, DnsName.Parse(host))));
            zone.Add(Record(host, A("192.0.2." + (i + 1))));
            zone.Add(Record(host, Aaaa("2001:db8::" + (i + 1))));
        }
        int length = Run(Stage(new ZoneSet([zone.Build()])), Packet("many.test.", RecordType.MX), out var bytes);
        var response = DnsMessage.Parse(bytes.AsSpan(0, length));
        Assert.That(response.Truncated, Is.False, Show(response));
        Assert.That(response.Answers, Has.Count.EqualTo(20), Show(response));
        Assert.That(response.Additionals, Is.Empty, Show(response));
    }
}
