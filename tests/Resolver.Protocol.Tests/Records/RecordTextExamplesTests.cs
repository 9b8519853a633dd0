using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Records;

/// <summary>Presentation examples from the RFCs and real zones: each parses, prints as dig does, and round-trips.</summary>
public class RecordTextExamplesTests
{
    private const string Rfc4034Signature =
        "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=";

    // (type, input text, text as printed). Printed forms follow dig: upper-case hex, base64 and
    // hex split in 56-character chunks, names absolute.
    private static readonly object[] Examples =
    [
        new object[] { RecordType.A, "192.0.2.1", "192.0.2.1" },
        new object[] { RecordType.AAAA, "2001:DB8::1", "2001:db8::1" },
        new object[] { RecordType.NS, "ns1", "ns1.example.com." },
        new object[] { RecordType.CNAME, "@", "example.com." },
        new object[] { RecordType.DNAME, "modern.example.net.", "modern.example.net." },
        new object[] { RecordType.PTR, "www.example.com.", "www.example.com." },
        new object[] { RecordType.MX, "10 mail", "10 mail.example.com." },
        new object[] { RecordType.SOA, "ns1 hostmaster ( 2024060101 2h 1h 2w 300 )", "ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300" },
        new object[] { RecordType.TXT, "\"v=spf1 -all\" unquoted \"say \\\"hi\\\"\" \"\\255\"", "\"v=spf1 -all\" \"unquoted\" \"say \\\"hi\\\"\" \"\\255\"" },
        new object[] { RecordType.HINFO, "\"RFC8482\" \"\"", "\"RFC8482\" \"\"" },
        new object[] { RecordType.SRV, "10 60 5060 bigbox.example.com.", "10 60 5060 bigbox.example.com." },
        new object[] { RecordType.SRV, "0 0 0 .", "0 0 0 ." },
        // RFC 3403 §6.2
        new object[] { RecordType.NAPTR, "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:information@foo.se!i\" .", "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:information@foo.se!i\" ." },
        new object[] { RecordType.NAPTR, "100 50 \"s\" \"http+I2L+I2C+I2R\" \"\" _http._tcp.gatech.edu.", "100 50 \"s\" \"http+I2L+I2C+I2R\" \"\" _http._tcp.gatech.edu." },
        // RFC 8659 §4.3
        new object[] { RecordType.CAA, "0 issue \"ca.example.net\"", "0 issue \"ca.example.net\"" },
        new object[] { RecordType.CAA, "0 issuewild \";\"", "0 issuewild \";\"" },
        new object[] { RecordType.CAA, "128 tbs \"Unknown\"", "128 tbs \"Unknown\"" },
        new object[] { RecordType.CAA, "0 iodef mailto:security@example.com", "0 iodef \"mailto:security@example.com\"" },
        new object[] { RecordType.SSHFP, "1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac", "1 1 DD465C09CFA51FB45020CC83316FFF21B9EC74AC" },
        new object[] { RecordType.SSHFP, "4 2 7eb8e406e5f38eca918e8f923d1018221323ad98db2b4c717ec61fa6e8a4cda5",
            "4 2 7EB8E406E5F38ECA918E8F923D1018221323AD98DB2B4C717EC61FA6 E8A4CDA5" },
        new object[] { RecordType.TLSA, "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B566 64C5D3D6",
            "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B566 64C5D3D6" },
        // RFC 4034 §5.4
        new object[] { RecordType.DS, "60485 5 1 ( 2BB183AF5F22588179A53B0A98631FAD1A292118 )", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
        new object[] { RecordType.DNSKEY, "257 3 15 6GfPDfkzFvmUX4w4K3b6Aw7yzky+6bOTG+TB2DQ/9qc=", "257 3 15 6GfPDfkzFvmUX4w4K3b6Aw7yzky+6bOTG+TB2DQ/9qc=" },
        // RFC 4034 §3.3
        new object[] { RecordType.RRSIG, "A 5 3 86400 20030322173103 ( 20030220173103 2642 example.com. " + Rfc4034Signature + " )",
            "A 5 3 86400 20030322173103 20030220173103 2642 example.com. " + BinaryText.Split(Rfc4034Signature) },
        // RFC 4034 §4.3
        new object[] { RecordType.NSEC, "host.example.com. ( A MX RRSIG NSEC TYPE1234 )", "host.example.com. A MX RRSIG NSEC TYPE1234" },
        // RFC 5155 Appendix A
        new object[] { RecordType.NSEC3, "1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG )",
            "1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM" },
        new object[] { RecordType.NSEC3, "1 0 0 - UFIJKAAD20Q9CGCO5P7G33U45Q29ISGJ", "1 0 0 - UFIJKAAD20Q9CGCO5P7G33U45Q29ISGJ" },
        new object[] { RecordType.NSEC3PARAM, "1 0 12 aabbccdd", "1 0 12 AABBCCDD" },
        new object[] { RecordType.NSEC3PARAM, "1 0 0 -", "1 0 0 -" },
        new object[] { RecordType.HTTPS, "1 . alpn=\"h3,h2\" ipv4hint=192.0.2.1 ech=AEX+DQBBpQAgACB=", "1 . alpn=\"h3,h2\" ipv4hint=192.0.2.1 ech=AEX+DQBBpQAgACA=" },
        new object[] { RecordType.HTTPS, "0 svc.example.net.", "0 svc.example.net." },
        new object[] { RecordType.SVCB, "1 dns ipv6hint=2001:db8::53 mandatory=alpn alpn=dot,h2 port=853",
            "1 dns.example.com. mandatory=alpn alpn=\"dot,h2\" port=853 ipv6hint=2001:db8::53" },
        new object[] { RecordType.SVCB, "16 foo.example.org. alpn=h2 no-default-alpn key667=hello key668 dohpath=/q{?dns} ohttp",
            "16 foo.example.org. alpn=\"h2\" no-default-alpn dohpath=\"/q{?dns}\" ohttp key667=\"hello\" key668" },
        new object[] { RecordType.SVCB, "1 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"", "1 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"" },
        new object[] { RecordType.SVCB, "1 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2", "1 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"" },
    ];

    [TestCaseSource(nameof(Examples))]
    public void Example_parses_prints_as_dig_does_and_round_trips(RecordType type, string text, string printed)
    {
        var data = RdataAssert.Parse(type, text);
        Assert.That(data.ToText(), Is.EqualTo(printed));
        RdataAssert.RoundTrips(type, data);
    }

    [Test]
    public void Record_types_parse_into_their_own_classes()
    {
        Assert.That(RdataAssert.Parse(RecordType.SRV, "1 2 3 x."), Is.TypeOf<SrvRecordData>());
        Assert.That(RdataAssert.Parse(RecordType.HTTPS, "1 ."), Is.TypeOf<SvcbRecordData>());
        Assert.That(((SvcbRecordData)RdataAssert.Parse(RecordType.HTTPS, "1 .")).Type, Is.EqualTo(RecordType.HTTPS));
        Assert.That(RdataAssert.Parse(RecordType.NSEC3PARAM, "1 0 0 -"), Is.TypeOf<Nsec3ParamRecordData>());
    }

    [Test]
    public void Dnskey_key_tag_matches_the_ds_that_points_at_it()
    {
        // RFC 4034 §5.4: this key's tag is 60485, as the DS example says.
        var key = (DnskeyRecordData)RdataAssert.Parse(RecordType.DNSKEY,
            "256 3 5 ( AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZ DRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc nOf+EPbtG9DMBmADjFDc2w/rljwvFw== )");
        Assert.That(key.KeyTag, Is.EqualTo(60485));
        Assert.That(key.IsZoneKey, Is.True);
        Assert.That(key.IsSecureEntryPoint, Is.False);
    }

    [Test]
    public void Long_base64_is_split_in_56_character_chunks_and_read_back_whole_or_split()
    {
        var split = (RrsigRecordData)RdataAssert.Parse(RecordType.RRSIG,
            "A 5 3 86400 20030322173103 20030220173103 2642 example.com. " + Rfc4034Signature);
        string text = split.ToText();
        string[] chunks = text[(text.IndexOf("example.com. ", StringComparison.Ordinal) + 13)..].Split(' ');
        Assert.That(chunks.Take(chunks.Length - 1).Select(c => c.Length), Is.All.EqualTo(56));
        Assert.That(string.Concat(chunks), Is.EqualTo(Rfc4034Signature));
        Assert.That(RdataAssert.Parse(RecordType.RRSIG, text), Is.EqualTo(split));
        Assert.That(split.Expiration, Is.EqualTo((uint)new DateTimeOffset(2003, 3, 22, 17, 31, 3, TimeSpan.Zero).ToUnixTimeSeconds()));
        Assert.That(split.SignerName, Is.EqualTo(DnsName.Parse("example.com.")));
    }

    [Test]
    public void Rrsig_times_may_be_given_as_seconds_since_1970()
    {
        var data = (RrsigRecordData)RdataAssert.Parse(RecordType.RRSIG, "A 13 2 300 1700000000 1690000000 1 example.com. AAAA");
        Assert.That(data.Expiration, Is.EqualTo(1700000000u));
        Assert.That(data.ToText(), Does.Contain(" 20231114221320 "));
    }

    [Test]
    public void Generic_form_of_a_known_type_gives_the_structured_data()
    {
        Assert.That(RdataAssert.Parse(RecordType.A, "\\# 4 C0000201"), Is.EqualTo(RdataAssert.Parse(RecordType.A, "192.0.2.1")));
        Assert.That(RdataAssert.Parse(RecordType.A, "\\# 4 C0000201"), Is.TypeOf<ARecordData>());
        var srv = RdataAssert.Parse(RecordType.SRV, "\\# 9 000A 003C 13C4 017800");
        Assert.That(srv.ToText(), Is.EqualTo("10 60 5060 x."));
        Assert.That(RdataAssert.Parse(RecordType.HTTPS, "\\# 3 ( 00 01 00 )").ToText(), Is.EqualTo("1 ."));
    }

    [Test]
    public void Generic_form_of_an_unknown_type_is_kept_as_octets()
    {
        var data = RdataAssert.Parse((RecordType)65400, "\\# 4 0a000001");
        Assert.That(data, Is.TypeOf<UnknownRecordData>());
        Assert.That(data.ToText(), Is.EqualTo("\\# 4 0A000001"));
        Assert.That(RdataAssert.Parse((RecordType)65401, "\\# 0").ToWire(), Is.Empty);
    }

    [Test]
    public void Generic_form_that_is_not_valid_for_the_type_is_rejected()
    {
        var e = Assert.Throws<DnsFormatException>(() => RdataAssert.Parse(RecordType.A, "\\# 3 C00002"))!;
        Assert.That(e.Problem, Does.StartWith("A:"));
        Assert.Throws<DnsFormatException>(() => RdataAssert.Parse(RecordType.A, "\\# 4 C00002"));
    }
}
