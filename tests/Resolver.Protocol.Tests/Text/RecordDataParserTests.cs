using CsCheck;
using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Text;

/// <summary>RDATA text that must be refused, with a message naming the type and the bad token; and encodings checked by property.</summary>
public class RecordDataParserTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    [TestCase(RecordType.A, "1", "1")]
    [TestCase(RecordType.A, "0x7f.0.0.1", "0x7f.0.0.1")]
    [TestCase(RecordType.AAAA, "fe80::1%eth0", "fe80::1%eth0")]
    [TestCase(RecordType.AAAA, "192.0.2.1", "192.0.2.1")]
    [TestCase(RecordType.MX, "65536 mail", "65536")]
    [TestCase(RecordType.SRV, "1 2 3 bad..name", "bad..name")]
    [TestCase(RecordType.CAA, "0 is-sue \"x\"", "is-sue")]
    [TestCase(RecordType.CAA, "256 issue \"x\"", "256")]
    [TestCase(RecordType.DS, "1 13 2 00112233", "digest type 2")]
    [TestCase(RecordType.DS, "1 13 2", "missing digest")]
    [TestCase(RecordType.SSHFP, "1 1 ABC", "ABC")]
    [TestCase(RecordType.DNSKEY, "257 3 15 not!base64", "not!base64")]
    [TestCase(RecordType.RRSIG, "A 13 2 300 20301301000000 20240101000000 1 example. AAAA", "20301301000000")]
    [TestCase(RecordType.RRSIG, "NOTATYPE 13 2 300 1 1 1 example. AAAA", "NOTATYPE")]
    [TestCase(RecordType.NSEC, "next. A BOGUS", "BOGUS")]
    [TestCase(RecordType.NSEC3, "1 0 0 - NOT-BASE32 A", "NOT-BASE32")]
    [TestCase(RecordType.NSEC3, "1 0 0 XYZ UFIJKAAD A", "XYZ")]
    [TestCase(RecordType.NSEC3PARAM, "1 0 0", "missing salt")]
    [TestCase(RecordType.HINFO, "\"only-cpu\"", "missing OS")]
    [TestCase(RecordType.TLSA, "3 1 1", "missing")]
    [TestCase(RecordType.NAPTR, "1 1 \"s\" \"\" \"\"", "missing replacement")]
    [TestCase((RecordType)65000, "abc", "\\#")]
    [TestCase(RecordType.TXT, "\\# 3 0001", "\\#")]
    public void Bad_text_is_rejected_naming_type_and_token(RecordType type, string text, string mention)
    {
        var e = Assert.Throws<DnsFormatException>(() => RecordDataParser.Parse(type, text, Origin))!;
        Assert.That(e.Problem, Does.StartWith(Mnemonics.TypeToText(type) + ":").And.Contains(mention));
    }

    [Test]
    public void Character_string_longer_than_255_octets_is_rejected()
    {
        var e = Assert.Throws<DnsFormatException>(() => RecordDataParser.Parse(RecordType.TXT, new string('a', 256), Origin))!;
        Assert.That(e.Problem, Does.StartWith("TXT:").And.Contains("256"));
        Assert.DoesNotThrow(() => RecordDataParser.Parse(RecordType.TXT, new string('a', 255), Origin));
    }

    [Test]
    public void Caa_value_may_be_longer_than_a_character_string()
    {
        string value = new('v', 400);
        var caa = (CaaRecordData)RecordDataParser.Parse(RecordType.CAA, $"0 issue \"{value}\"", Origin);
        Assert.That(caa.Value, Has.Length.EqualTo(400));
        Records.RdataAssert.RoundTrips(RecordType.CAA, caa);
    }

    [Test]
    public void Base32hex_round_trips_any_octets() =>
        Gen.Byte.Array[1, 64].Sample(bytes =>
        {
            string text = Base32HexText.Encode(bytes);
            return !text.Contains('=') && Base32HexText.TryDecode(text, out var back) && back.AsSpan().SequenceEqual(bytes)
                && Base32HexText.TryDecode(text.ToLowerInvariant(), out var lower) && lower.AsSpan().SequenceEqual(bytes);
        });

    [Test]
    public void Base32hex_rejects_impossible_lengths_and_nonzero_padding_bits()
    {
        Assert.That(Base32HexText.TryDecode("A", out _), Is.False);
        Assert.That(Base32HexText.TryDecode("01", out _), Is.False, "the last character carries bits beyond the octet");
        Assert.That(Base32HexText.TryDecode("00======", out _), Is.False);
        Assert.That(Base32HexText.TryDecode("00", out var zero) && zero.Length == 1, Is.True);
    }

    [Test]
    public void Type_bitmaps_of_any_type_set_round_trip() =>
        Gen.UShort.Array[0, 40].Sample(types =>
        {
            var data = new NsecRecordData(DnsName.Parse("n.example."), new TypeBitmap(types.Select(t => (RecordType)t)));
            Records.RdataAssert.RoundTrips(RecordType.NSEC, data);
            return ((NsecRecordData)Records.RdataAssert.ReadWire(RecordType.NSEC, data.ToWire())).Types.Types
                .SequenceEqual(types.Distinct().Order());
        }, iter: 300);

    [Test]
    public void Arbitrary_svcb_values_for_unknown_keys_and_alpn_round_trip() =>
        Gen.Select(Gen.Byte.Array[1, 20], Gen.Byte.Array[0, 30]).Sample((alpnId, other) =>
        {
            byte[] alpn = [(byte)alpnId.Length, .. alpnId];
            var data = new SvcbRecordData(RecordType.SVCB, 1, DnsName.Root,
                [new SvcParam(SvcParamKey.Alpn, alpn), new SvcParam((SvcParamKey)4242, other)]);
            Records.RdataAssert.RoundTrips(RecordType.SVCB, data);
        }, iter: 300);
}
