using Resolver.Protocol.Records;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Tests.Records;

/// <summary>Wire forms of the post-RFC-1035 types: RFC examples, uncompressed names, and malformed RDATA.</summary>
public class RecordWireTests
{
    [Test]
    public void Nsec_bitmap_matches_the_rfc_4034_example()
    {
        // RFC 4034 §4.3: "host.example.com. A MX RRSIG NSEC TYPE1234".
        var data = RdataAssert.Parse(RecordType.NSEC, "host.example.com. A MX RRSIG NSEC TYPE1234");
        string expected = "04686f7374076578616d706c6503636f6d00"
            + "0006400100000003" + "041b" + new string('0', 2 * 26) + "20";
        Assert.That(Convert.ToHexString(data.ToWire()), Is.EqualTo(expected.ToUpperInvariant()));
        var types = ((NsecRecordData)RdataAssert.ReadHex(RecordType.NSEC, expected)).Types;
        Assert.That(types.Contains(RecordType.MX), Is.True);
        Assert.That(types.Contains((RecordType)1234), Is.True);
        Assert.That(types.Contains(RecordType.AAAA), Is.False);
    }

    [TestCase("00" + "0000", TestName = "Window length 0")]
    [TestCase("00" + "0021" + "4040404040404040404040404040404040404040404040404040404040404040" + "40", TestName = "Window length 33")]
    [TestCase("00" + "000140" + "000140", TestName = "Window repeated")]
    [TestCase("00" + "010140" + "000140", TestName = "Windows decreasing")]
    [TestCase("00" + "00024000", TestName = "Trailing zero octet")]
    [TestCase("00" + "000340", TestName = "Bitmap past the RDATA")]
    [TestCase("00" + "00", TestName = "Window without length")]
    public void Malformed_nsec_type_bitmap_is_rejected(string hex) =>
        Assert.Throws<DnsFormatException>(() => RdataAssert.ReadHex(RecordType.NSEC, hex));

    [Test]
    public void Names_in_post_1035_rdata_are_written_uncompressed_even_when_compression_is_on()
    {
        var name = DnsName.Parse("example.com.");
        DnsRecordData[] samples =
        [
            RdataAssert.Parse(RecordType.SRV, "1 1 1 example.com."),
            RdataAssert.Parse(RecordType.NAPTR, "1 1 \"\" \"\" \"\" example.com."),
            RdataAssert.Parse(RecordType.NSEC, "example.com. A"),
            RdataAssert.Parse(RecordType.RRSIG, "A 13 2 300 20300101000000 20240101000000 1 example.com. AAAA"),
            RdataAssert.Parse(RecordType.SVCB, "1 example.com."),
        ];
        foreach (var data in samples)
        {
            var buffer = new byte[512];
            var writer = new DnsWriter(buffer, new ushort[16]);
            writer.WriteName(name);
            int before = writer.Position;
            data.WriteTo(ref writer);
            Assert.That(writer.Position - before, Is.EqualTo(data.ToWire().Length), data.ToText());
            Assert.That(buffer.AsSpan(before, writer.Position - before).IndexOf((byte)0xC0), Is.EqualTo(-1), data.ToText());
        }
    }

    [Test]
    public void Srv_and_naptr_targets_are_read_even_when_compressed()
    {
        // RFC 3597 §4: receivers SHOULD decompress SRV and NAPTR names. Message: name at 0, then SRV RDATA.
        byte[] message = Convert.FromHexString("017800" + "000100020003" + "C000");
        var reader = new DnsReader(message, 3);
        var srv = (SrvRecordData)RecordDataReader.Read(RecordType.SRV, ref reader, message.Length - 3);
        Assert.That(srv.Target, Is.EqualTo(DnsName.Parse("x.")));
    }

    [TestCase(RecordType.RRSIG, "0001 0d 02 0000012c 70000000 60000000 0001 c000", TestName = "RRSIG signer compressed")]
    [TestCase(RecordType.NSEC, "c000 000140", TestName = "NSEC next name compressed")]
    [TestCase(RecordType.CAA, "00 00 616263", TestName = "CAA empty tag")]
    [TestCase(RecordType.CAA, "00 05 69737375", TestName = "CAA tag past the RDATA")]
    [TestCase(RecordType.CAA, "00 02 692d 78", TestName = "CAA tag with a hyphen")]
    [TestCase(RecordType.DS, "0001 0d 02 00112233", TestName = "DS SHA-256 digest too short")]
    [TestCase(RecordType.DS, "0001 0d 09", TestName = "DS without digest")]
    [TestCase(RecordType.SSHFP, "04 02 0011", TestName = "SSHFP SHA-256 fingerprint too short")]
    [TestCase(RecordType.TLSA, "03 01 01", TestName = "TLSA without data")]
    [TestCase(RecordType.NSEC3, "01 00 0000 00 00", TestName = "NSEC3 empty hash")]
    [TestCase(RecordType.NSEC3, "01 00 0000 04 aabb", TestName = "NSEC3 salt past the RDATA")]
    [TestCase(RecordType.NSEC3PARAM, "01 00 0000 00 ff", TestName = "NSEC3PARAM with octets left over")]
    [TestCase(RecordType.HINFO, "03 616263", TestName = "HINFO without OS")]
    [TestCase(RecordType.SRV, "0001 0002", TestName = "SRV truncated")]
    [TestCase(RecordType.NAPTR, "0001 0002 05 61", TestName = "NAPTR flags past the RDATA")]
    [TestCase(RecordType.DNSKEY, "0101 03", TestName = "DNSKEY truncated")]
    [TestCase(RecordType.RRSIG, "0001 0d 02 0000012c", TestName = "RRSIG truncated")]
    public void Malformed_rdata_is_rejected(RecordType type, string hex) =>
        Assert.Throws<DnsFormatException>(() => RdataAssert.ReadHex(type, hex));

    [Test]
    public void Wire_form_of_each_type_round_trips_through_the_reader()
    {
        (RecordType Type, string Hex)[] samples =
        [
            (RecordType.HINFO, "03414243" + "00"),
            (RecordType.CAA, "80 05 696f646566 6d61696c746f3a61"),
            (RecordType.SSHFP, "01 01 " + new string('a', 40)),
            (RecordType.TLSA, "03 01 01 00ff"),
            (RecordType.DS, "ea20 0d 02 " + new string('1', 64)),
            (RecordType.DNSKEY, "0101 03 0f 00112233"),
            (RecordType.NSEC3, "01 01 000c 04aabbccdd 14" + new string('5', 40) + "000122"),
            (RecordType.NSEC3PARAM, "01 00 000a 00"),
        ];
        foreach (var (type, hex) in samples)
        {
            var data = RdataAssert.ReadHex(type, hex);
            Assert.That(Convert.ToHexString(data.ToWire()), Is.EqualTo(hex.Replace(" ", "").ToUpperInvariant()), type.ToString());
            RdataAssert.RoundTrips(type, data);
        }
    }
}
