using Resolver.Core.Zones;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using static Resolver.Core.Tests.Zones.ZoneRecords;

namespace Resolver.Core.Tests.Zones;

public class ZoneBuilderTests
{
    private const string File = "zones/example.test.zone";

    private static ZoneBuilder Builder(List<string>? warnings = null) => new(DnsName.Parse("example.test."), File, warnings);

    [Test]
    public void Zone_without_soa_is_rejected_naming_the_file()
    {
        var zone = Builder();
        zone.Add(Record("www.example.test.", A("192.0.2.1")), File, 3);
        var error = Assert.Throws<ZoneLoadException>(() => zone.Build())!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone: no SOA"));
    }

    [Test]
    public void Second_soa_is_rejected_at_its_line()
    {
        var zone = Builder();
        zone.Add(Soa("example.test."), File, 2);
        var error = Assert.Throws<ZoneLoadException>(() => zone.Add(Soa("example.test.", minimum: 60), File, 9))!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone:9: second SOA"));
        Assert.That(error.Message, Does.Contain("line 2"));
    }

    [Test]
    public void Soa_below_the_apex_is_rejected()
    {
        var error = Assert.Throws<ZoneLoadException>(() => Builder().Add(Soa("www.example.test."), File, 4))!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone:4: SOA at www.example.test."));
    }

    [Test]
    public void Out_of_zone_record_is_rejected_at_its_line()
    {
        var error = Assert.Throws<ZoneLoadException>(() => Builder().Add(Record("www.example.com.", A("192.0.2.1")), File, 7))!;
        Assert.That(error.Message, Is.EqualTo("zones/example.test.zone:7: www.example.com. is outside the zone example.test. (out-of-zone data is not served)"));
        Assert.That(error.Line, Is.EqualTo(7));
    }

    [Test]
    public void Cname_beside_other_data_is_rejected_whichever_comes_first()
    {
        var first = Builder();
        first.Add(Record("www.example.test.", A("192.0.2.1")), File, 5);
        var error = Assert.Throws<ZoneLoadException>(() => first.Add(Record("www.example.test.", Cname("x.example.test.")), File, 6))!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone:6: CNAME at www.example.test. beside the A of line 5"));
        Assert.That(error.Message, Does.Contain("RFC 1034 §3.6.2"));

        var second = Builder();
        second.Add(Record("www.example.test.", Cname("x.example.test.")), File, 5);
        var reverse = Assert.Throws<ZoneLoadException>(() => second.Add(Record("WWW.example.test.", A("192.0.2.1")), File, 8))!;
        Assert.That(reverse.Message, Does.StartWith("zones/example.test.zone:8: A at WWW.example.test. beside the CNAME of line 5"));
    }

    [Test]
    public void Two_different_cnames_at_one_name_are_rejected_but_a_repeated_line_is_kept_once()
    {
        var zone = Builder();
        zone.Add(Soa("example.test."), File, 1);
        zone.Add(Record("alias.example.test.", Cname("a.example.test.")), File, 2);
        zone.Add(Record("alias.example.test.", Cname("a.example.test.")), File, 3);
        Assert.That(zone.Build().FindNode(DnsName.Parse("alias.example.test."))!.Cname!.Records, Has.Count.EqualTo(1));

        var error = Assert.Throws<ZoneLoadException>(() => zone.Add(Record("alias.example.test.", Cname("b.example.test.")), File, 4))!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone:4: second CNAME"));
    }

    [Test]
    public void Two_different_dnames_at_one_name_are_rejected_and_a_dname_beside_a_cname_too()
    {
        var zone = Builder();
        zone.Add(Soa("example.test."), File, 1);
        zone.Add(Record("old.example.test.", Dname("new.example.test.")), File, 2);
        zone.Add(Record("old.example.test.", Txt("other data may sit beside a DNAME")), File, 3);

        var second = Assert.Throws<ZoneLoadException>(() => zone.Add(Record("old.example.test.", Dname("newer.example.test.")), File, 4))!;
        Assert.That(second.Message, Does.StartWith("zones/example.test.zone:4: second DNAME"));
        var cname = Assert.Throws<ZoneLoadException>(() => zone.Add(Record("old.example.test.", Cname("x.example.test.")), File, 5))!;
        Assert.That(cname.Message, Does.StartWith("zones/example.test.zone:5: CNAME"));
    }

    [Test]
    public void Record_of_another_class_is_rejected()
    {
        var chaos = new DnsRecord(DnsName.Parse("www.example.test."), RecordType.TXT, RecordClass.CH, 0, Txt("x"));
        var error = Assert.Throws<ZoneLoadException>(() => Builder().Add(chaos, File, 3))!;
        Assert.That(error.Message, Does.StartWith("zones/example.test.zone:3: class CH"));
    }

    [Test]
    public void Missing_apex_ns_is_a_warning_not_an_error()
    {
        var warnings = new List<string>();
        var zone = Builder(warnings);
        zone.Add(Soa("example.test."), File, 1);
        Assert.That(zone.Build().Apex, Is.EqualTo(DnsName.Parse("example.test.")));
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("no NS records at the apex"));
    }

    [Test]
    public void Duplicate_zone_in_a_set_is_rejected_naming_both_files()
    {
        var a = Builder();
        a.Add(Soa("example.test."));
        var b = new ZoneBuilder(DnsName.Parse("EXAMPLE.test."), "zones/copy.zone");
        b.Add(Soa("example.test."));
        var error = Assert.Throws<ZoneLoadException>(() => _ = new ZoneSet([a.Build(), b.Build()]))!;
        Assert.That(error.Message, Does.Contain("zones/copy.zone").And.Contain(File));
    }

    [Test]
    public void Empty_non_terminals_exist_and_data_keeps_its_written_case()
    {
        var zone = Example();
        Assert.That(zone.FindNode(DnsName.Parse("b.deep.example.test."))!.IsEmptyNonTerminal, Is.True);
        Assert.That(zone.FindNode(DnsName.Parse("nope.example.test.")), Is.Null);
        var www = zone.FindNode(DnsName.Parse("WWW.EXAMPLE.TEST."))!;
        Assert.That(www.Find(RecordType.A)!.Records[0].Name.EqualsExactly(DnsName.Parse("Www.Example.Test.")), Is.True);
        Assert.That(((SoaRecordData)zone.NegativeSoa.Data).Minimum, Is.EqualTo(300));
    }
}
