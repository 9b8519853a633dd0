using System.Net;
using Resolver.Core.Zones;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Zones;

/// <summary>Zones built from records in code (no zone file text), shared by the lookup tests.</summary>
internal static class ZoneRecords
{
    public static DnsRecord Record(string owner, DnsRecordData data, uint ttl = 300) =>
        new(DnsName.Parse(owner), TypeOf(data), RecordClass.IN, ttl, data);

    public static DnsRecord Soa(string apex, uint ttl = 3600, uint minimum = 300) =>
        Record(apex, new SoaRecordData(DnsName.Parse("ns1." + apex), DnsName.Parse("hostmaster." + apex), 1, 7200, 3600, 1209600, minimum), ttl);

    public static ARecordData A(string address) => new(IPAddress.Parse(address));

    public static AaaaRecordData Aaaa(string address) => new(IPAddress.Parse(address));

    public static NameRecordData Ns(string target) => new(RecordType.NS, DnsName.Parse(target));

    public static NameRecordData Cname(string target) => new(RecordType.CNAME, DnsName.Parse(target));

    public static NameRecordData Dname(string target) => new(RecordType.DNAME, DnsName.Parse(target));

    public static TxtRecordData Txt(string text) => new([System.Text.Encoding.ASCII.GetBytes(text)]);

    /// <summary>
    /// example.test.: SOA (TTL 3600, MINIMUM 300), NS, A/AAAA/MX/TXT data, CNAME chains and a loop,
    /// an empty non-terminal (deep, b.deep), a wildcard (*.wild), a delegation (sub) with glue.
    /// </summary>
    public static Zone Example(uint soaTtl = 3600, uint minimum = 300)
    {
        var zone = new ZoneBuilder(DnsName.Parse("example.test."), "zones/example.test.zone");
        zone.Add(Soa("example.test.", soaTtl, minimum));
        zone.Add(Record("example.test.", Ns("ns1.example.test.")));
        zone.Add(Record("example.test.", new MxRecordData(10, DnsName.Parse("mail.example.test."))));
        zone.Add(Record("example.test.", Txt("v=spf1 -all")));
        zone.Add(Record("ns1.example.test.", A("192.0.2.53")));
        zone.Add(Record("mail.example.test.", A("192.0.2.25")));
        zone.Add(Record("Www.Example.Test.", A("192.0.2.80")));
        zone.Add(Record("www.example.test.", A("192.0.2.81")));
        zone.Add(Record("www.example.test.", Aaaa("2001:db8::80")));
        zone.Add(Record("alias.example.test.", Cname("www.example.test.")));
        zone.Add(Record("chain1.example.test.", Cname("chain2.example.test.")));
        zone.Add(Record("chain2.example.test.", Cname("www.example.test.")));
        zone.Add(Record("loop1.example.test.", Cname("loop2.example.test.")));
        zone.Add(Record("loop2.example.test.", Cname("loop1.example.test.")));
        zone.Add(Record("dangling.example.test.", Cname("missing.example.test.")));
        zone.Add(Record("away.example.test.", Cname("www.elsewhere.example.")));
        zone.Add(Record("cross.example.test.", Cname("host.other.test.")));
        zone.Add(Record("a.b.deep.example.test.", A("192.0.2.7")));
        zone.Add(Record("*.wild.example.test.", A("192.0.2.99")));
        zone.Add(Record("*.wild.example.test.", Txt("wildcard")));
        zone.Add(Record("host.wild.example.test.", A("192.0.2.98")));
        zone.Add(Record("sub.example.test.", Ns("ns.sub.example.test.")));
        zone.Add(Record("sub.example.test.", Ns("ns.elsewhere.example.")));
        zone.Add(Record("ns.sub.example.test.", A("192.0.2.54")));
        zone.Add(Record("hidden.sub.example.test.", A("192.0.2.55")));
        return zone.Build();
    }

    /// <summary>other.test.: a second zone, the target of a CNAME from example.test.</summary>
    public static Zone Other()
    {
        var zone = new ZoneBuilder(DnsName.Parse("other.test."), "zones/other.test.zone");
        zone.Add(Soa("other.test.", 600, 900));
        zone.Add(Record("other.test.", Ns("ns1.other.test.")));
        zone.Add(Record("host.other.test.", A("198.51.100.7")));
        return zone.Build();
    }

    public static ZoneSet Set() => new([Example(), Other()]);

    private static RecordType TypeOf(DnsRecordData data) => data switch
    {
        ARecordData => RecordType.A,
        AaaaRecordData => RecordType.AAAA,
        NameRecordData name => name.Type,
        MxRecordData => RecordType.MX,
        SrvRecordData => RecordType.SRV,
        TxtRecordData => RecordType.TXT,
        SoaRecordData => RecordType.SOA,
        _ => throw new ArgumentException("type not known to the test", nameof(data)),
    };
}
