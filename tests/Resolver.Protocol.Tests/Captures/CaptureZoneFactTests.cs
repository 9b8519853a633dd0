using Resolver.Protocol.Records;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// The parsed captures say what tests/zones/capture-test.zone says: field values read from
/// knotd's real answers must match the zone file, so a codec that reads the wrong octets fails.
/// </summary>
public class CaptureZoneFactTests
{
    private static readonly object[] KnownAnswers =
    [
        new object[] { "capture.test.", RecordType.A, new[] { "192.0.2.1" } },
        new object[] { "capture.test.", RecordType.AAAA, new[] { "2001:db8::1" } },
        new object[] { "capture.test.", RecordType.NS, new[] { "ns1.capture.test.", "ns2.capture.test." } },
        new object[] { "capture.test.", RecordType.MX, new[] { "10 mail.capture.test.", "20 mail2.capture.test." } },
        new object[] { "capture.test.", RecordType.TXT, new[] { "\"v=spf1 ip4:192.0.2.0/24 -all\"" } },
        new object[] { "capture.test.", RecordType.SOA, new[] { "ns1.capture.test. hostmaster.capture.test. 2024060101 7200 3600 1209600 300" } },
        new object[] { "www.capture.test.", RecordType.A, new[] { "192.0.2.80", "192.0.2.81" } },
        new object[] { "www.capture.test.", RecordType.AAAA, new[] { "2001:db8::80" } },
        new object[] { "alias.capture.test.", RecordType.CNAME, new[] { "www.capture.test." } },
        new object[] { "legacy.capture.test.", RecordType.DNAME, new[] { "modern.capture.test." } },
        new object[] { "10.ptr.capture.test.", RecordType.PTR, new[] { "www.capture.test." } },
        new object[] { "x.wild.capture.test.", RecordType.A, new[] { "192.0.2.99" } },
        new object[] { "upper.capture.test.", RecordType.A, new[] { "192.0.2.200" } },
        new object[] { "mixedcase.capture.test.", RecordType.AAAA, new[] { "2001:db8::c0de" } },
        new object[] { "unknown.capture.test.", (RecordType)65400, new[] { "\\# 4 0A000001" } },
        new object[] { "unknown.capture.test.", (RecordType)65401, new[] { "\\# 0" } },
        new object[]
        {
            "txt.capture.test.", RecordType.TXT, new[]
            {
                "\"first string\" \"second string\" \"third\"",
                "\"say \\\"hello\\\" \\\\ back\\\\slash; semi;colon\" \"tab\\009here\" \"\\255high\"",
                "\"\"",
            },
        },
    ];

    [TestCaseSource(nameof(KnownAnswers))]
    public void Every_captured_answer_holds_the_zone_data(string name, RecordType type, string[] expected)
    {
        var responses = ResponsesTo(name, type);
        Assert.That(responses, Is.Not.Empty, $"the captures hold an answer to {name} {type}");
        foreach (var (message, source) in responses)
        {
            var found = new List<string>();
            foreach (var record in message.Answers)
            {
                if (record.Type == type)
                    found.Add(record.Data.ToText());
            }
            Assert.That(found, Is.EquivalentTo(expected), source.ToString());
        }
    }

    [Test]
    public void Soa_fields_are_read_into_their_places()
    {
        foreach (var (message, source) in ResponsesTo("capture.test.", RecordType.SOA))
        {
            var soa = (SoaRecordData)message.Answers[0].Data;
            Assert.Multiple(() =>
            {
                Assert.That(message.Answers[0].Ttl, Is.EqualTo(3600u), source.ToString());
                Assert.That(soa.PrimaryServer, Is.EqualTo(DnsName.Parse("ns1.capture.test.")));
                Assert.That(soa.ResponsibleMailbox, Is.EqualTo(DnsName.Parse("hostmaster.capture.test.")));
                Assert.That(soa.Serial, Is.EqualTo(2024060101u));
                Assert.That(soa.Refresh, Is.EqualTo(7200u));
                Assert.That(soa.Retry, Is.EqualTo(3600u));
                Assert.That(soa.Expire, Is.EqualTo(1209600u));
                Assert.That(soa.Minimum, Is.EqualTo(300u));
            });
        }
    }

    [Test]
    public void Nxdomain_answers_carry_the_zone_soa_in_the_authority_section()
    {
        var responses = ResponsesTo("nx.capture.test.", RecordType.A);
        Assert.That(responses, Is.Not.Empty);
        foreach (var (message, source) in responses)
        {
            Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), source.ToString());
            Assert.That(message.Answers, Is.Empty, source.ToString());
            Assert.That(message.Authorities.Select(r => r.Type), Does.Contain(RecordType.SOA), source.ToString());
        }
    }

    [Test]
    public void Answers_echo_the_question_name_in_the_case_the_client_sent()
    {
        var responses = ResponsesTo("www.capture.test.", RecordType.A);
        var mixed = responses.Where(r => r.Message.Question!.Name.ToString() == "WwW.CaPtUrE.TeSt.").ToList();
        Assert.That(mixed, Is.Not.Empty, "mixed-case.pcap holds WwW.CaPtUrE.TeSt. A");
        foreach (var (message, source) in mixed)
            Assert.That(message.Answers[0].Name.ToString(), Is.EqualTo("WwW.CaPtUrE.TeSt."), "owner compressed to the question keeps its case: " + source);
    }

    [Test]
    public void Udp_answer_to_the_big_txt_is_truncated_and_the_tcp_retry_holds_all_twelve_records()
    {
        var responses = ResponsesTo("big.capture.test.", RecordType.TXT, includeTruncated: true);
        var udp = responses.Where(r => r.Source.Captured.Transport == CapturedTransport.Udp).ToList();
        var tcp = responses.Where(r => r.Source.Captured.Transport == CapturedTransport.Tcp).ToList();
        Assert.That(udp, Is.Not.Empty);
        Assert.That(tcp, Is.Not.Empty);
        foreach (var (message, source) in udp)
        {
            Assert.That(message.Truncated, Is.True, "TC=1 over UDP: " + source);
            Assert.That(message.Answers, Is.Empty, "knotd drops the whole RRset: " + source);
        }
        foreach (var (message, source) in tcp)
        {
            Assert.That(message.Truncated, Is.False, source.ToString());
            Assert.That(message.Answers, Has.Count.EqualTo(12), source.ToString());
            var texts = message.Answers.Select(r => r.Data.ToText()).Order(StringComparer.Ordinal).ToList();
            for (int i = 0; i < 12; i++)
            {
                Assert.That(texts[i], Does.StartWith($"\"big-{i + 1:D2}-abcdefghijklmnopqrstuvwxyz0123456789"), source.ToString());
                Assert.That(((TxtRecordData)message.Answers[i].Data).Strings[0], Has.Length.EqualTo(200));
                Assert.That(message.Answers[i].Ttl, Is.EqualTo(300u));
            }
        }
    }

    /// <summary>Parsed responses whose first question is <paramref name="name"/> (any case) and <paramref name="type"/>.</summary>
    internal static List<(DnsMessage Message, CorpusMessage Source)> ResponsesTo(string name, RecordType type, bool includeTruncated = false)
    {
        var wanted = DnsName.Parse(name);
        var found = new List<(DnsMessage, CorpusMessage)>();
        foreach (var source in CaptureCorpus.Messages)
        {
            if (!source.Captured.IsResponse)
                continue;
            var message = DnsMessage.Parse(source.Payload);
            if (message.Question is { } question && question.Name == wanted && question.Type == type && (includeTruncated || !message.Truncated))
                found.Add((message, source));
        }
        return found;
    }
}
