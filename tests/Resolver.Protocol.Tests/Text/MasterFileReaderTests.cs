using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Text;

/// <summary>RFC 1035 §5 master files: directives, omitted fields, TTL rules, syntax, $INCLUDE and errors.</summary>
public class MasterFileReaderTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static IReadOnlyList<DnsRecord> Read(string text, Func<string, string>? include = null, uint? defaultTtl = null) =>
        MasterFileReader.Read(text, "test.zone", Origin, include, defaultTtl);

    [Test]
    public void At_sign_and_relative_names_use_the_origin_and_origin_directive_changes_it()
    {
        var records = Read("""
            $TTL 300
            @ IN A 192.0.2.1
            www IN CNAME @
            $ORIGIN sub
            host IN MX 10 mail
            abs.example.net. IN A 192.0.2.2
            """);
        Assert.That(records.Select(r => r.Name.ToString()),
            Is.EqualTo(new[] { "example.com.", "www.example.com.", "host.sub.example.com.", "abs.example.net." }));
        Assert.That(records[1].Data.ToText(), Is.EqualTo("example.com."));
        Assert.That(records[2].Data.ToText(), Is.EqualTo("10 mail.sub.example.com."));
    }

    [Test]
    public void Line_starting_with_a_blank_belongs_to_the_previous_owner()
    {
        var records = Read("$TTL 60\nwww IN A 192.0.2.1\n\tIN AAAA 2001:db8::1\n    TXT \"x\"\n");
        Assert.That(records, Has.Count.EqualTo(3));
        Assert.That(records.Select(r => r.Name), Is.All.EqualTo(DnsName.Parse("www.example.com.")));
        Assert.That(records[2].Class, Is.EqualTo(RecordClass.IN));
    }

    [Test]
    public void Ttl_and_class_may_come_in_either_order_or_be_left_out()
    {
        var records = Read("""
            $TTL 100
            a 200 IN A 192.0.2.1
            b IN 300 A 192.0.2.2
            c CH A \# 4 C0000203
            d A 192.0.2.4
            e 1h30m A 192.0.2.5
            """);
        Assert.That(records.Select(r => r.Ttl), Is.EqualTo(new uint[] { 200, 300, 100, 100, 5400 }));
        Assert.That(records[2].Class, Is.EqualTo(RecordClass.CH));
        Assert.That(records[3].Class, Is.EqualTo(RecordClass.CH), "an omitted class is the previous record's");
    }

    [TestCase("3600", 3600u)]
    [TestCase("1h30m", 5400u)]
    [TestCase("1d", 86400u)]
    [TestCase("1W", 604800u)]
    [TestCase("2h1s", 7201u)]
    [TestCase("2147483647", 2147483647u)]
    public void Ttl_units_are_understood(string text, uint seconds) =>
        Assert.That(Read($"$TTL {text}\n@ A 192.0.2.1")[0].Ttl, Is.EqualTo(seconds));

    [TestCase("1h30")]
    [TestCase("1x")]
    [TestCase("2147483648")]
    [TestCase("h")]
    public void Bad_ttl_is_rejected(string text) =>
        Assert.Throws<DnsFormatException>(() => Read($"$TTL {text}\n@ A 192.0.2.1"));

    [Test]
    public void Without_ttl_directive_the_last_explicit_ttl_applies_as_bind_does()
    {
        var records = Read("""
            @ IN SOA ns hostmaster 1 7200 3600 1209600 300
            a IN A 192.0.2.1
            b 60 IN A 192.0.2.2
            c IN A 192.0.2.3
            """);
        // The SOA falls back to its MINIMUM, which then carries on like an explicit TTL (BIND).
        Assert.That(records.Select(r => r.Ttl), Is.EqualTo(new uint[] { 300, 300, 60, 60 }));
    }

    [Test]
    public void With_ttl_directive_an_explicit_ttl_does_not_change_the_default()
    {
        var records = Read("$TTL 100\na 60 A 192.0.2.1\nb A 192.0.2.2");
        Assert.That(records.Select(r => r.Ttl), Is.EqualTo(new uint[] { 60, 100 }));
    }

    [Test]
    public void Default_ttl_given_by_the_caller_acts_as_a_ttl_directive() =>
        Assert.That(Read("a A 192.0.2.1", defaultTtl: 42)[0].Ttl, Is.EqualTo(42u));

    [Test]
    public void Record_without_any_ttl_is_rejected()
    {
        var e = Assert.Throws<DnsFormatException>(() => Read("a A 192.0.2.1"))!;
        Assert.That(e.Message, Does.Contain("test.zone line 1:").And.Contains("TTL"));
    }

    [Test]
    public void Parentheses_join_lines_and_comments_inside_them_are_skipped()
    {
        var records = Read("""
            $TTL 1h
            @ IN SOA ns1 hostmaster ( ; primary and mailbox above
                 2024060101 ; serial
                 7200       ; refresh
                 3600 1209600
                 300 )      ; minimum
            next IN A 192.0.2.9
            """);
        Assert.That(records[0].Data.ToText(), Is.EqualTo("ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300"));
        Assert.That(records[1].Name.ToString(), Is.EqualTo("next.example.com."));
    }

    [Test]
    public void Semicolon_inside_quotes_or_escaped_is_not_a_comment()
    {
        var records = Read("$TTL 1\n@ TXT \"a;b\" c\\;d ; real comment\n@ CAA 0 issuewild \";\"");
        Assert.That(records[0].Data.ToText(), Is.EqualTo("\"a;b\" \"c;d\""));
        Assert.That(records[1].Data.ToText(), Is.EqualTo("0 issuewild \";\""));
    }

    [Test]
    public void Quoted_strings_keep_blanks_and_escapes()
    {
        var txt = (TxtRecordData)Read("$TTL 1\n@ TXT \"say \\\"hi\\\" \\\\ there\" \"tab\\009\" \"\"")[0].Data;
        Assert.That(txt.Strings.Select(s => System.Text.Encoding.ASCII.GetString(s)),
            Is.EqualTo(new[] { "say \"hi\" \\ there", "tab\t", "" }));
    }

    [Test]
    public void Generic_rdata_is_read_for_unknown_and_known_types()
    {
        var records = Read("$TTL 1\na TYPE65400 \\# 4 0a000001\nb TYPE1 \\# 4 C0000201\nc A \\# ( 4 C000 0203 )");
        Assert.That(records[0].Data, Is.TypeOf<UnknownRecordData>());
        Assert.That(records[0].Type, Is.EqualTo((RecordType)65400));
        Assert.That(records[1].Data.ToText(), Is.EqualTo("192.0.2.1"));
        Assert.That(records[2].Data.ToText(), Is.EqualTo("192.0.2.3"));
    }

    [Test]
    public void Include_reads_the_file_with_its_own_origin_and_the_parent_keeps_its_own()
    {
        var asked = new List<string>();
        string Resolve(string path)
        {
            asked.Add(path);
            return "host A 192.0.2.7\n\tAAAA 2001:db8::7\n";
        }
        var records = Read("""
            $TTL 60
            before A 192.0.2.1
            $INCLUDE "sub.inc" sub
            $INCLUDE sub.inc
             TXT "owner is still 'before'"
            """, Resolve);
        Assert.That(asked, Is.EqualTo(new[] { "sub.inc", "sub.inc" }));
        Assert.That(records.Select(r => r.Name.ToString()), Is.EqualTo(new[]
        {
            "before.example.com.", "host.sub.example.com.", "host.sub.example.com.",
            "host.example.com.", "host.example.com.", "before.example.com.",
        }));
    }

    [Test]
    public void Positions_name_the_file_and_starting_line_of_each_record_including_included_files()
    {
        var records = MasterFileReader.ReadWithPositions("""
            $TTL 60
            ; a comment line

            @ IN SOA ( ns1 hostmaster
                       1 2 3 4 5 )
            $INCLUDE parts/hosts.inc
            after A 192.0.2.9
            """, "test.zone", Origin, _ => "\nhost A 192.0.2.7\n\tAAAA 2001:db8::7\n");
        Assert.That(records.Select(r => $"{r.File}:{r.Line} {r.Record.Name} {r.Record.Type}"), Is.EqualTo(new[]
        {
            "test.zone:4 example.com. SOA",
            "parts/hosts.inc:2 host.example.com. A",
            "parts/hosts.inc:3 host.example.com. AAAA",
            "test.zone:7 after.example.com. A",
        }));
        Assert.That(records.Select(r => r.Record), Is.EqualTo(MasterFileReader.Read(
            "$TTL 60\n@ IN SOA ns1 hostmaster 1 2 3 4 5\nhost A 192.0.2.7\nhost AAAA 2001:db8::7\nafter A 192.0.2.9\n", "x", Origin)),
            "the records are those Read returns");
    }

    [Test]
    public void Include_without_a_resolver_or_nested_too_deep_is_an_error()
    {
        Assert.Throws<DnsFormatException>(() => Read("$INCLUDE x"));
        var e = Assert.Throws<DnsFormatException>(() => Read("$INCLUDE self", _ => "$INCLUDE self"))!;
        Assert.That(e.Message, Does.Contain("deeper"));
    }

    [Test]
    public void Include_file_that_cannot_be_read_is_reported_with_the_line()
    {
        var e = Assert.Throws<DnsFormatException>(() => Read("\n$INCLUDE ../etc/passwd",
            path => throw new UnauthorizedAccessException($"{path} is outside the zones folder")))!;
        Assert.That(e.Message, Does.Contain("test.zone line 2:").And.Contains("outside the zones folder"));
    }

    [Test]
    public void Error_in_an_included_file_names_that_file_and_its_line()
    {
        var e = Assert.Throws<DnsFormatException>(() => Read("$TTL 1\n$INCLUDE inner.zone", _ => "a A 192.0.2.1\nb A 300.1.2.3\n"))!;
        Assert.That(e.Message, Does.StartWith("inner.zone line 2: A:").And.Contains("300.1.2.3"));
        Assert.That(e.Offset, Is.EqualTo(2));
    }

    [TestCase("$TTL 1\n\n\nwww IN MX ten mail", 4, "MX", "ten")]
    [TestCase("$TTL 1\nwww IN SRV 1 2 3", 2, "SRV", "missing target")]
    [TestCase("$TTL 1\nwww IN BOGUS 1", 2, "BOGUS", "not a record type")]
    [TestCase("$TTL 1\nwww IN A 192.0.2.1 extra", 2, "A:", "extra")]
    [TestCase("$TTL 1\nwww IN SSHFP 1 1 XYZ", 2, "SSHFP", "XYZ")]
    [TestCase("$TTL 1\n  A 192.0.2.1", 2, "previous owner", "")]
    [TestCase("$TTL 1\nwww IN TXT \"open", 2, "quoted", "")]
    [TestCase("$TTL 1\nwww IN SOA ( a b 1 2 3 4 5", 2, "never closed", "")]
    [TestCase("$GENERATE 1-2 $ A 1.2.3.$", 1, "unknown directive", "")]
    public void Errors_name_the_file_line_type_and_token(string text, int line, string mention, string token)
    {
        var e = Assert.Throws<DnsFormatException>(() => Read(text))!;
        Assert.That(e.Message, Does.StartWith($"test.zone line {line}:").And.Contains(mention).And.Contains(token));
        Assert.That(e.Offset, Is.EqualTo(line));
    }
}
