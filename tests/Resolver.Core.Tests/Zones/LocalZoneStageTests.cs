using Resolver.Core.Pipeline;
using Resolver.Core.Zones;
using Resolver.Protocol;
using Resolver.Protocol.Records;
using static Resolver.Core.Tests.Zones.StageQuery;

namespace Resolver.Core.Tests.Zones;

public class LocalZoneStageTests
{
    private static LocalZoneStage Stage(ZoneSet? zones = null, LocalZoneOptions? options = null) =>
        new(ZoneCatalog.Fixed(zones ?? ZoneRecords.Set()), options ?? new LocalZoneOptions(), new ZoneMetrics());

    private static DnsMessage Ask(string name, RecordType type, LocalZoneStage? stage = null) =>
        Answer(stage ?? Stage(), Packet(name, type));

    private static string[] Data(List<DnsRecord> section)
    {
        var data = new string[section.Count];
        for (int i = 0; i < data.Length; i++)
            data[i] = section[i].Type + " " + section[i].Data.ToText();
        return data;
    }

    [Test]
    public void A_query_is_answered_authoritatively_with_the_whole_rrset_as_written()
    {
        var response = Ask("www.example.test.", RecordType.A);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True, Show(response));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "A 192.0.2.80", "A 192.0.2.81" }), Show(response));
        Assert.That(response.Answers[0].Ttl, Is.EqualTo(300));
        Assert.That(response.Authorities, Is.Empty);
    }

    [Test]
    public void Aaaa_mx_and_txt_queries_get_their_rrsets_with_aa()
    {
        var aaaa = Ask("www.example.test.", RecordType.AAAA);
        var mx = Ask("example.test.", RecordType.MX);
        var txt = Ask("example.test.", RecordType.TXT);
        Assert.That(Data(aaaa.Answers), Is.EqualTo(new[] { "AAAA 2001:db8::80" }), Show(aaaa));
        Assert.That(Data(mx.Answers), Is.EqualTo(new[] { "MX 10 mail.example.test." }), Show(mx));
        Assert.That(Data(txt.Answers), Is.EqualTo(new[] { "TXT \"v=spf1 -all\"" }), Show(txt));
        Assert.That(aaaa.AuthoritativeAnswer && mx.AuthoritativeAnswer && txt.AuthoritativeAnswer, Is.True);
    }

    [Test]
    public void Names_match_without_regard_to_case_and_the_question_keeps_the_clients_case()
    {
        var response = Ask("WWW.eXample.TEST.", RecordType.A);
        Assert.That(response.Answers, Has.Count.EqualTo(2), Show(response));
        Assert.That(response.Questions[0].Name.EqualsExactly(DnsName.Parse("WWW.eXample.TEST.")), Is.True);
    }

    [Test]
    public void Cname_is_followed_within_the_zone_to_the_requested_type()
    {
        var response = Ask("chain1.example.test.", RecordType.A);
        Assert.That(Data(response.Answers), Is.EqualTo(new[]
        {
            "CNAME chain2.example.test.", "CNAME www.example.test.", "A 192.0.2.80", "A 192.0.2.81",
        }), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
    }

    [Test]
    public void Cname_query_gets_the_cname_itself_without_chasing()
    {
        var response = Ask("alias.example.test.", RecordType.CNAME);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME www.example.test." }), Show(response));
    }

    [Test]
    public void Cname_is_followed_into_another_local_zone()
    {
        var response = Ask("cross.example.test.", RecordType.A);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME host.other.test.", "A 198.51.100.7" }), Show(response));
    }

    [Test]
    public void Cname_to_a_name_outside_the_local_zones_returns_the_cname_only()
    {
        var response = Ask("away.example.test.", RecordType.A);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME www.elsewhere.example." }), Show(response));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
    }

    [Test]
    public void Cname_loop_stops_after_each_name_once()
    {
        var response = Ask("loop1.example.test.", RecordType.A);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME loop2.example.test.", "CNAME loop1.example.test." }), Show(response));
    }

    [Test]
    public void Cname_chain_longer_than_the_limit_stops_at_the_limit()
    {
        // One CNAME is followed (to chain2); chain2's own CNAME is given but not followed to www's addresses.
        var response = Ask("chain1.example.test.", RecordType.A, Stage(options: new LocalZoneOptions { MaxCnameChain = 1 }));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME chain2.example.test.", "CNAME www.example.test." }), Show(response));
    }

    [Test]
    public void Cname_to_a_missing_name_is_nxdomain_with_the_cname_and_soa()
    {
        var response = Ask("dangling.example.test.", RecordType.A);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), Show(response));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME missing.example.test." }), Show(response));
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA));
    }

    [Test]
    public void Missing_name_is_nxdomain_with_soa_whose_ttl_is_the_soa_minimum_when_lower()
    {
        var response = Ask("nothing.example.test.", RecordType.A);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True);
        Assert.That(response.Answers, Is.Empty);
        Assert.That(response.Authorities, Has.Count.EqualTo(1), Show(response));
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA));
        Assert.That(response.Authorities[0].Name, Is.EqualTo(DnsName.Parse("example.test.")));
        Assert.That(response.Authorities[0].Ttl, Is.EqualTo(300), "RFC 2308 §3: min(SOA TTL 3600, MINIMUM 300)");
    }

    [Test]
    public void Negative_soa_ttl_is_the_soa_ttl_when_lower_than_the_minimum()
    {
        var stage = Stage(new ZoneSet([ZoneRecords.Example(soaTtl: 60, minimum: 300)]));
        var response = Ask("nothing.example.test.", RecordType.A, stage);
        Assert.That(response.Authorities[0].Ttl, Is.EqualTo(60), Show(response));
        Assert.That(((SoaRecordData)response.Authorities[0].Data).Minimum, Is.EqualTo(300), "the SOA's own fields are unchanged");
    }

    [Test]
    public void Existing_name_without_the_type_is_nodata_with_soa()
    {
        var response = Ask("mail.example.test.", RecordType.AAAA);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True);
        Assert.That(response.Answers, Is.Empty, Show(response));
        Assert.That(response.Authorities, Has.Count.EqualTo(1));
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA));
        Assert.That(response.Authorities[0].Ttl, Is.EqualTo(300));
    }

    [TestCase("b.deep.example.test.")]
    [TestCase("deep.example.test.")]
    public void Empty_non_terminal_is_nodata_not_nxdomain(string name)
    {
        var response = Ask(name, RecordType.A);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.Answers, Is.Empty);
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA));
        Assert.That(Data(Ask("a.b.deep.example.test.", RecordType.A).Answers), Is.EqualTo(new[] { "A 192.0.2.7" }));
    }

    [Test]
    public void Wildcard_answers_a_missing_name_with_the_owner_rewritten_to_the_query_name()
    {
        var response = Ask("Anything.wild.example.test.", RecordType.A);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.True);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "A 192.0.2.99" }), Show(response));
        Assert.That(response.Answers[0].Name, Is.EqualTo(DnsName.Parse("anything.wild.example.test.")), Show(response));
        Assert.That(Data(Ask("two.labels.wild.example.test.", RecordType.TXT).Answers), Is.EqualTo(new[] { "TXT \"wildcard\"" }));
    }

    [Test]
    public void Wildcard_does_not_cover_an_existing_name_or_a_missing_type()
    {
        var existing = Ask("host.wild.example.test.", RecordType.TXT);
        Assert.That(existing.Answers, Is.Empty, "RFC 4592 §3.3.1: host.wild exists, so the wildcard does not apply: " + Show(existing));
        Assert.That(existing.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));

        var missingType = Ask("other.wild.example.test.", RecordType.MX);
        Assert.That(missingType.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(missingType));
        Assert.That(missingType.Answers, Is.Empty);
        Assert.That(missingType.Authorities[0].Type, Is.EqualTo(RecordType.SOA));
    }

    [TestCase("sub.example.test.")]
    [TestCase("hidden.sub.example.test.")]
    [TestCase("deeper.below.sub.example.test.")]
    public void Name_at_or_below_a_zone_cut_is_passed_to_the_forwarder_by_default(string name)
    {
        Assert.That(new LocalZoneOptions().AnswerReferrals, Is.False, "referrals are opt-in");
        Assert.That(Run(Stage(), Packet(name), out _), Is.EqualTo(StageResult.Pass),
            "a delegated name is the delegated zone's to answer, through the forwarder");
    }

    [Test]
    public void Ds_at_a_zone_cut_stays_with_the_parent_zone_when_referrals_are_off()
    {
        // RFC 4035 §3.1.4.1: DS lives on the parent side of the cut, so the local zone answers it.
        var response = Ask("sub.example.test.", RecordType.DS);
        Assert.That(response.AuthoritativeAnswer, Is.True, Show(response));
        Assert.That(response.Authorities[0].Type, Is.EqualTo(RecordType.SOA), "NODATA from the parent: " + Show(response));
    }

    [Test]
    public void Cname_into_a_delegation_ends_the_answer_with_the_cname_when_referrals_are_off()
    {
        var zone = new ZoneBuilder(DnsName.Parse("example.test."), "zones/example.test.zone");
        zone.Add(ZoneRecords.Soa("example.test."));
        zone.Add(ZoneRecords.Record("sub.example.test.", ZoneRecords.Ns("ns.elsewhere.example.")));
        zone.Add(ZoneRecords.Record("alias.example.test.", ZoneRecords.Cname("www.sub.example.test.")));
        var response = Ask("alias.example.test.", RecordType.A, Stage(new ZoneSet([zone.Build()])));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "CNAME www.sub.example.test." }), Show(response));
        Assert.That(response.Authorities, Is.Empty, "no referral to follow: the client asks for the target: " + Show(response));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
    }

    [TestCase("sub.example.test.")]
    [TestCase("hidden.sub.example.test.")]
    [TestCase("deeper.below.sub.example.test.")]
    public void Name_at_or_below_a_zone_cut_gets_a_referral_without_aa_when_configured(string name)
    {
        var response = Ask(name, RecordType.A, Stage(options: new LocalZoneOptions { AnswerReferrals = true }));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), Show(response));
        Assert.That(response.AuthoritativeAnswer, Is.False, Show(response));
        Assert.That(response.Answers, Is.Empty, "data below the cut is not ours to give: " + Show(response));
        Assert.That(Data(response.Authorities), Is.EqualTo(new[] { "NS ns.sub.example.test.", "NS ns.elsewhere.example." }), Show(response));
        Assert.That(Data(response.Additionals), Is.EqualTo(new[] { "A 192.0.2.54" }), "glue for the in-zone server only: " + Show(response));
    }

    [Test]
    public void Any_query_gets_one_rrset_not_all_of_them()
    {
        var response = Ask("www.example.test.", RecordType.ANY);
        Assert.That(response.AuthoritativeAnswer, Is.True);
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "A 192.0.2.80", "A 192.0.2.81" }), "RFC 8482 §4.2: " + Show(response));

        var alias = Ask("alias.example.test.", RecordType.ANY);
        Assert.That(Data(alias.Answers), Is.EqualTo(new[] { "CNAME www.example.test." }), Show(alias));
    }

    [Test]
    public void Chaos_class_query_for_a_local_name_is_refused()
    {
        var response = Answer(Stage(), Packet("www.example.test.", RecordType.TXT, RecordClass.CH));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), Show(response));
        Assert.That(response.Answers, Is.Empty);
    }

    [Test]
    public void Class_any_query_is_answered_from_the_in_data()
    {
        var response = Answer(Stage(), Packet("mail.example.test.", RecordType.A, RecordClass.ANY));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "A 192.0.2.25" }), Show(response));
    }

    [Test]
    public void Zone_transfer_is_refused()
    {
        var response = Answer(Stage(), Packet("example.test.", RecordType.AXFR), transport: ClientTransport.Tcp);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), Show(response));
    }

    [TestCase("www.example.com.")]
    [TestCase("test.")]
    [TestCase("notexample.test.")]
    public void Name_outside_every_local_zone_passes_to_the_next_stage(string name)
    {
        Assert.That(Run(Stage(), Packet(name), out _), Is.EqualTo(StageResult.Pass));
        Assert.That(Run(Stage(), Packet(name, RecordType.TXT, RecordClass.CH), out _), Is.EqualTo(StageResult.Pass), "other classes pass too");
    }

    [Test]
    public void Longest_apex_wins_for_a_zone_inside_another()
    {
        var inner = new ZoneBuilder(DnsName.Parse("sub.example.test."), "zones/sub.zone");
        inner.Add(ZoneRecords.Soa("sub.example.test."));
        inner.Add(ZoneRecords.Record("hidden.sub.example.test.", ZoneRecords.A("203.0.113.5")));
        var stage = Stage(new ZoneSet([ZoneRecords.Example(), inner.Build()]));
        var response = Ask("hidden.sub.example.test.", RecordType.A, stage);
        Assert.That(response.AuthoritativeAnswer, Is.True, Show(response));
        Assert.That(Data(response.Answers), Is.EqualTo(new[] { "A 203.0.113.5" }), Show(response));
    }

    [Test]
    public void Local_answer_goes_through_the_pipeline_with_the_answer_rules()
    {
        var pipeline = new QueryPipeline([Stage()], new PipelineOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryPipeline>.Instance);
        var query = Packet("WWW.example.test.", RecordType.A, edns: new Resolver.Protocol.Edns.EdnsRecord { UdpPayloadSize = 4096 });
        var buffer = new byte[65535];
        int length = pipeline.HandleAsync(query, buffer, new QueryContext(Loopback, ClientTransport.Udp), default).Result;
        var response = DnsMessage.Parse(buffer.AsSpan(0, length));
        Assert.That(response.Id, Is.EqualTo(0x4242));
        Assert.That(response.AuthoritativeAnswer && response.RecursionAvailable && response.IsResponse, Is.True, Show(response));
        Assert.That(response.Edns, Is.Not.Null);
        Assert.That(response.Answers, Has.Count.EqualTo(2));
    }
}
