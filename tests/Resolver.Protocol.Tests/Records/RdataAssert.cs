using Resolver.Protocol.Records;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Tests.Records;

/// <summary>Round trips that every RDATA type must survive: wire read(write(x)) and Parse(ToText(x)).</summary>
internal static class RdataAssert
{
    public static readonly DnsName Origin = DnsName.Parse("example.com.");

    public static DnsRecordData ReadWire(RecordType type, byte[] rdata)
    {
        var reader = new DnsReader(rdata);
        return RecordDataReader.Read(type, ref reader, rdata.Length);
    }

    public static DnsRecordData ReadHex(RecordType type, string hex) => ReadWire(type, Convert.FromHexString(hex.Replace(" ", "")));

    public static DnsRecordData Parse(RecordType type, string text) => RecordDataParser.Parse(type, text, Origin);

    public static void RoundTrips(RecordType type, DnsRecordData data)
    {
        byte[] wire = data.ToWire();
        var fromWire = ReadWire(type, wire);
        Assert.That(fromWire, Is.EqualTo(data), $"wire round trip of {type} {data.ToText()}: {Convert.ToHexString(wire)}");
        Assert.That(fromWire.GetType(), Is.EqualTo(data.GetType()));
        var fromText = Parse(type, data.ToText());
        Assert.That(fromText, Is.EqualTo(data), $"text round trip of {type} '{data.ToText()}' gave '{fromText.ToText()}'");
        Assert.That(fromText.ToText(), Is.EqualTo(data.ToText()));
    }
}
