using Resolver.Protocol.Records;
using Resolver.Protocol.Text;

namespace Resolver.Protocol.Tests.Records;

/// <summary>SVCB/HTTPS against the test vectors of RFC 9460 Appendix D.</summary>
public class SvcbWireTests
{
    private const string FooExampleCom = "03666f6f076578616d706c6503636f6d00";
    private const string FooExampleOrg = "03666f6f076578616d706c65036f726700";

    [TestCase(RecordType.HTTPS, "0 foo.example.com.", "0000" + FooExampleCom)]
    [TestCase(RecordType.SVCB, "1 .", "000100")]
    [TestCase(RecordType.SVCB, "16 foo.example.com. port=53", "0010" + FooExampleCom + "000300020035")]
    [TestCase(RecordType.SVCB, "1 foo.example.com. key667=hello", "0001" + FooExampleCom + "029b000568656c6c6f")]
    [TestCase(RecordType.SVCB, "1 foo.example.com. key667=\"hello\\210qoo\"", "0001" + FooExampleCom + "029b000968656c6c6fd2716f6f")]
    [TestCase(RecordType.SVCB, "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1\"",
        "0001" + FooExampleCom + "00060020" + "20010db8000000000000000000000001" + "20010db8000000000000000000530001")]
    [TestCase(RecordType.SVCB, "1 example.com. ipv6hint=\"2001:db8:122:344::192.0.2.33\"",
        "0001076578616d706c6503636f6d00" + "00060010" + "20010db80122034400000000c0000221")]
    [TestCase(RecordType.SVCB, "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1",
        "0010" + FooExampleOrg + "000000040001000400010009026832056833" + "2d3139" + "00040004c0000201")]
    [TestCase(RecordType.SVCB, "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
        "0010" + FooExampleOrg + "0001000c08665c6f6f2c62617202" + "6832")]
    public void Rfc9460_presentation_form_gives_the_rfc_wire_form(RecordType type, string text, string wireHex)
    {
        var data = RdataAssert.Parse(type, text);
        Assert.That(Convert.ToHexString(data.ToWire()), Is.EqualTo(wireHex.ToUpperInvariant()));
        Assert.That(RdataAssert.ReadHex(type, wireHex), Is.EqualTo(data));
        RdataAssert.RoundTrips(type, data);
    }

    // RFC 9460 Appendix D.3: presentation forms that must fail, plus a few of the same spirit.
    [TestCase("1 foo.example.com. key123=abc key123=def")]
    [TestCase("1 foo.example.com. mandatory")]
    [TestCase("1 foo.example.com. alpn")]
    [TestCase("1 foo.example.com. port")]
    [TestCase("1 foo.example.com. ipv4hint")]
    [TestCase("1 foo.example.com. ipv6hint")]
    [TestCase("1 foo.example.com. no-default-alpn=abc")]
    [TestCase("1 foo.example.com. mandatory=key123")]
    [TestCase("1 foo.example.com. mandatory=mandatory")]
    [TestCase("1 foo.example.com. ipv6hint=1.2.3.4")]
    [TestCase("1 foo.example.com. ipv4hint=2001:db8::1")]
    [TestCase("1 foo.example.com. mandatory=key123,key123 key123=abc")]
    [TestCase("1 foo.example.com. no-default-alpn")]
    [TestCase("1 foo.example.com. port=65536")]
    [TestCase("1 foo.example.com. alpn=h2,,h3")]
    [TestCase("1 foo.example.com. ech=not*base64")]
    [TestCase("1 foo.example.com. key65535=x")]
    [TestCase("1 foo.example.com. bogus=1")]
    public void Invalid_presentation_form_is_rejected_naming_the_type(string text)
    {
        var e = Assert.Throws<DnsFormatException>(() => RdataAssert.Parse(RecordType.SVCB, text))!;
        Assert.That(e.Problem, Does.StartWith("SVCB:"));
    }

    [Test]
    public void Unclosed_quote_in_a_value_is_rejected()
    {
        MasterToken[] tokens = [new("1", false), new(".", false), new("alpn=\"h2", false)];
        var e = Assert.Throws<DnsFormatException>(() => RecordDataParser.Parse(RecordType.SVCB, tokens, DnsName.Root))!;
        Assert.That(e.Problem, Does.StartWith("SVCB:").And.Contains("alpn=\"h2"));
    }

    [TestCase("0001" + "00" + "0003000201bb" + "000100030268" + "32", TestName = "Keys out of order")]
    [TestCase("0001" + "00" + "000300020035" + "000300020035", TestName = "Key repeated")]
    [TestCase("0001" + "00" + "00030003000035", TestName = "Port of three octets")]
    [TestCase("0001" + "00" + "00040005c000020101", TestName = "Ipv4hint of five octets")]
    [TestCase("0001" + "00" + "00060004c0000201", TestName = "Ipv6hint of four octets")]
    [TestCase("0001" + "00" + "0001000302683200", TestName = "Alpn with an empty id")]
    [TestCase("0001" + "00" + "000100030568", TestName = "Alpn id past its value")]
    [TestCase("0001" + "00" + "000000020000", TestName = "Mandatory listing itself")]
    [TestCase("0001" + "00" + "0000000400040001", TestName = "Mandatory keys unsorted")]
    [TestCase("0001" + "00" + "00020001ff", TestName = "No-default-alpn with a value")]
    [TestCase("0001" + "00" + "0003000500", TestName = "Value past the RDATA")]
    [TestCase("0001" + "00" + "00", TestName = "Truncated key")]
    [TestCase("0001" + "c000", TestName = "Compressed target name")]
    public void Malformed_wire_form_is_rejected(string hex)
    {
        Assert.Throws<DnsFormatException>(() => RdataAssert.ReadHex(RecordType.HTTPS, hex));
    }

    [Test]
    public void Parameters_are_found_by_key_and_alias_mode_is_priority_zero()
    {
        var data = (SvcbRecordData)RdataAssert.Parse(RecordType.HTTPS, "1 . port=8443 alpn=h2");
        Assert.That(data.Find(SvcParamKey.Port)!.Value, Is.EqualTo(new byte[] { 0x20, 0xFB }));
        Assert.That(data.Find(SvcParamKey.Ech), Is.Null);
        Assert.That(data.IsAliasMode, Is.False);
        Assert.That(((SvcbRecordData)RdataAssert.Parse(RecordType.HTTPS, "0 other.example.")).IsAliasMode, Is.True);
    }
}
