using Resolver.Core.Zones;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.StageQuery;

namespace Resolver.Core.Tests.Zones;

/// <summary>DNAME redirection in local-zone answers (RFC 6672 §3), real packets through the stage.</summary>
public class DnameTests
{
    private static LocalZoneStage Stage(LocalZoneOptions? options = null) =>
        new(ZoneCatalog.Fixed(DnameZones.Set()), options ?? new LocalZoneOptions(), new ZoneMetrics());

    private static DnsMessage Ask(string name, RecordType type = RecordType.A, LocalZoneStage? stage = null) =>
        Answer(stage ?? Stage(), Packet(name, type));

    // Long chains do not fit the 512 octets of a UDP answer without EDNS; TCP has room for them.
    private static DnsMessage AskOverTcp(string name, LocalZoneStage? stage = null) =>
        Answer(stage ?? Stage(), Packet(name), transport: Resolver.Core.Pipeline.ClientTransport.Tcp);

    private static string[] Answers(DnsMessage message)
    {
        var data = new string[message.Answers.Count];
        for (int i = 0; i < data.Length; i++)
        {
            var r = message.Answers[i];
            data[i] = r.Name + " " + r.Type + " " + r.Data.ToText();
        }
        return data;
    }

    [Test]
    public void Name_below_a_dname_gets_the_dname_a_synthesized_cname_and_the_data_of_the_new_name()
    {
        var response = Ask("host.legacy.redirect.test.");
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True, Show(response));
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "Legacy.redirect.test. DNAME Modern.redirect.test.",
            "host.legacy.redirect.test. CNAME host.Modern.redirect.test.",
            "host.modern.redirect.test. A 192.0.2.90",
        }), Show(response));
        Assert.That(response.Answers[1].Ttl, Is.EqualTo(600), "RFC 6672 §3.1: the synthesized CNAME has the DNAME's TTL");
        Assert.That(response.Authorities, Is.Empty, Show(response));
    }

    [Test]
    public void Synthesized_cname_keeps_the_query_names_case_in_owner_and_kept_labels()
    {
        var response = Ask("HoSt.LEGACY.redirect.TEST.");
        var cname = response.Answers[1];
        Assert.That(cname.Name.EqualsExactly(DnsName.Parse("HoSt.LEGACY.redirect.TEST.")), Is.True, Show(response));
        Assert.That(((Protocol.Records.NameRecordData)cname.Data).Target.EqualsExactly(DnsName.Parse("HoSt.Modern.redirect.test.")), Is.True, Show(response));
        Assert.That(response.Answers, Has.Count.EqualTo(3), Show(response));
    }

    [Test]
    public void Dname_at_the_apex_redirects_every_name_below_the_apex()
    {
        var response = Ask("host.renamed.test.");
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "renamed.test. DNAME modern.redirect.test.",
            "host.renamed.test. CNAME host.modern.redirect.test.",
            "host.modern.redirect.test. A 192.0.2.90",
        }), Show(response));
        Assert.That(response.Answers[1].Ttl, Is.EqualTo(120), Show(response));
    }

    [Test]
    public void Apex_holding_a_dname_answers_its_own_soa_and_ns_plainly()
    {
        var soa = Ask("renamed.test.", RecordType.SOA);
        var ns = Ask("renamed.test.", RecordType.NS);
        Assert.That(Answers(soa), Has.Length.EqualTo(1).And.All.Contains(" SOA "), Show(soa));
        Assert.That(Answers(ns), Is.EqualTo(new[] { "renamed.test. NS ns1.redirect.test." }), Show(ns));
    }

    [Test]
    public void Dname_owner_itself_is_answered_plainly_without_synthesis()
    {
        var dname = Ask("legacy.redirect.test.", RecordType.DNAME);
        var txt = Ask("legacy.redirect.test.", RecordType.TXT);
        var a = Ask("legacy.redirect.test.", RecordType.A);
        Assert.That(Answers(dname), Is.EqualTo(new[] { "Legacy.redirect.test. DNAME Modern.redirect.test." }), Show(dname));
        Assert.That(Answers(txt), Is.EqualTo(new[] { "legacy.redirect.test. TXT \"owner data\"" }), Show(txt));
        Assert.That(a.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(a));
        Assert.That(a.Answers, Is.Empty, "NODATA at the owner, no CNAME: " + Show(a));
        Assert.That(a.Authorities[0].Type, Is.EqualTo(RecordType.SOA), Show(a));
    }

    [Test]
    public void Data_written_below_a_dname_is_hidden_by_it()
    {
        var response = Ask("hidden.legacy.redirect.test.");
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), "hidden.modern does not exist: " + Show(response));
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "Legacy.redirect.test. DNAME Modern.redirect.test.",
            "hidden.legacy.redirect.test. CNAME hidden.Modern.redirect.test.",
        }), Show(response));
    }

    [Test]
    public void Dname_then_cname_are_both_followed_to_the_data()
    {
        var response = Ask("alias.legacy.redirect.test.");
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "Legacy.redirect.test. DNAME Modern.redirect.test.",
            "alias.legacy.redirect.test. CNAME alias.Modern.redirect.test.",
            "alias.modern.redirect.test. CNAME host.modern.redirect.test.",
            "host.modern.redirect.test. A 192.0.2.90",
        }), Show(response));
    }

    [Test]
    public void Cname_into_a_name_below_a_dname_is_followed_through_the_dname()
    {
        var response = Ask("via.redirect.test.");
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "via.redirect.test. CNAME host.legacy.redirect.test.",
            "Legacy.redirect.test. DNAME Modern.redirect.test.",
            "host.legacy.redirect.test. CNAME host.Modern.redirect.test.",
            "host.modern.redirect.test. A 192.0.2.90",
        }), Show(response));
    }

    [Test]
    public void Dname_into_another_local_zone_is_followed_there()
    {
        var response = Ask("www.out.redirect.test.");
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "out.redirect.test. DNAME example.test.",
            "www.out.redirect.test. CNAME www.example.test.",
            "Www.Example.Test. A 192.0.2.80",
            "www.example.test. A 192.0.2.81",
        }), Show(response));
    }

    [Test]
    public void Dname_out_of_the_local_zones_ends_the_answer_with_the_synthesized_cname()
    {
        var response = Ask("www.far.redirect.test.");
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "far.redirect.test. DNAME elsewhere.example.",
            "www.far.redirect.test. CNAME www.elsewhere.example.",
        }), Show(response));
    }

    [Test]
    public void Substituted_name_that_does_not_exist_is_nxdomain_with_the_dname_cname_and_soa()
    {
        var response = Ask("nothing.legacy.redirect.test.");
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), Show(response));
        Assert.That(response.Answers, Has.Count.EqualTo(2), Show(response));
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA), Show(response));
    }

    [TestCase(RecordType.CNAME)]
    [TestCase(RecordType.ANY)]
    public void Cname_or_any_question_below_a_dname_is_answered_by_the_synthesized_cname(RecordType type)
    {
        var response = Ask("alias.legacy.redirect.test.", type);
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "Legacy.redirect.test. DNAME Modern.redirect.test.",
            "alias.legacy.redirect.test. CNAME alias.Modern.redirect.test.",
        }), "the CNAME at alias.modern is not followed: " + Show(response));
    }

    [Test]
    public void Substituted_name_of_exactly_255_octets_is_followed()
    {
        var name = new string('q', 47) + ".long.redirect.test.";
        var response = AskOverTcp(name);
        var target = ((Protocol.Records.NameRecordData)response.Answers[1].Data).Target;
        Assert.That(target.WireLength, Is.EqualTo(255), Show(response));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), "the long name does not exist: " + Show(response));
    }

    [Test]
    public void Substituted_name_longer_than_255_octets_is_yxdomain_with_the_dname_only()
    {
        var name = new string('q', 48) + ".long.redirect.test.";
        var response = Ask(name);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.YXDomain), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True, Show(response));
        Assert.That(Answers(response), Is.EqualTo(new[] { "long.redirect.test. DNAME " + DnameZones.LongTarget }), Show(response));
    }

    [Test]
    public void Dname_loop_stops_when_a_name_comes_back()
    {
        var response = Ask("x.loop-a.redirect.test.");
        Assert.That(Answers(response), Is.EqualTo(new[]
        {
            "loop-a.redirect.test. DNAME loop-b.redirect.test.",
            "x.loop-a.redirect.test. CNAME x.loop-b.redirect.test.",
            "loop-b.redirect.test. DNAME loop-a.redirect.test.",
            "x.loop-b.redirect.test. CNAME x.loop-a.redirect.test.",
        }), Show(response));
    }

    [Test]
    public void Dname_into_its_own_subtree_stops_at_the_chain_limit()
    {
        // h.grow -> h.x.grow -> h.x.x.grow -> ...: every name is new, so only the limit ends it.
        var response = Ask("h.grow.redirect.test.", stage: Stage(new LocalZoneOptions { MaxCnameChain = 3 }));
        int cnames = 0;
        foreach (var record in response.Answers)
            cnames += record.Type == RecordType.CNAME ? 1 : 0;
        Assert.That(cnames, Is.EqualTo(4), "the limit's 3 followed plus the last one given: " + Show(response));
        Assert.That(response.Answers, Has.Count.EqualTo(8), Show(response));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
    }

    [Test]
    public void Dname_substitution_with_the_default_limit_ends_within_the_limit()
    {
        var response = AskOverTcp("h.grow.redirect.test.");
        Assert.That(response.Answers, Has.Count.EqualTo(2 * (new LocalZoneOptions().MaxCnameChain + 1)), Show(response));
    }
}
