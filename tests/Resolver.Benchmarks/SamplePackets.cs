using System.Net;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Benchmarks;

/// <summary>The messages the benchmarks read and write: shapes a resolver sees all day.</summary>
public static class SamplePackets
{
    /// <summary>
    /// A query like dig's default: "www.example.com. A", RD, EDNS 1232 with a client cookie
    /// (RFC 7873) — 52 octets.
    /// </summary>
    public static byte[] TypicalQuery()
    {
        var edns = new EdnsRecord { UdpPayloadSize = 1232 };
        edns.Options.Add(new CookieOption([1, 2, 3, 4, 5, 6, 7, 8], []));
        return DnsMessage.CreateQuery(0x4A3B, DnsName.Parse("www.example.com."), RecordType.A, edns: edns).ToArray();
    }

    /// <summary>A response with ten A records for the question name (owners compress to the question).</summary>
    public static DnsMessage TenAddressResponse()
    {
        var name = DnsName.Parse("www.example.com.");
        var message = Response(name, RecordType.A);
        for (int i = 0; i < 10; i++)
            message.Answers.Add(new DnsRecord(name, RecordType.A, RecordClass.IN, 300, new ARecordData(new IPAddress([192, 0, 2, (byte)(i + 1)]))));
        return message;
    }

    /// <summary>
    /// Ten records of the usual mix: a CNAME, three A, two AAAA in the answer, two NS in the
    /// authority, and their two glue addresses.
    /// </summary>
    public static DnsMessage MixedResponse()
    {
        var name = DnsName.Parse("www.example.com.");
        var target = DnsName.Parse("web.cdn.example.net.");
        var message = Response(name, RecordType.A);
        message.Answers.Add(new DnsRecord(name, RecordType.CNAME, RecordClass.IN, 300, new NameRecordData(RecordType.CNAME, target)));
        for (int i = 0; i < 3; i++)
            message.Answers.Add(new DnsRecord(target, RecordType.A, RecordClass.IN, 60, new ARecordData(new IPAddress([198, 51, 100, (byte)(i + 1)]))));
        for (int i = 0; i < 2; i++)
            message.Answers.Add(new DnsRecord(target, RecordType.AAAA, RecordClass.IN, 60, new AaaaRecordData(IPAddress.Parse($"2001:db8::{i + 1}"))));
        var zone = DnsName.Parse("example.net.");
        var ns1 = DnsName.Parse("ns1.example.net.");
        var ns2 = DnsName.Parse("ns2.example.net.");
        message.Authorities.Add(new DnsRecord(zone, RecordType.NS, RecordClass.IN, 86400, new NameRecordData(RecordType.NS, ns1)));
        message.Authorities.Add(new DnsRecord(zone, RecordType.NS, RecordClass.IN, 86400, new NameRecordData(RecordType.NS, ns2)));
        message.Additionals.Add(new DnsRecord(ns1, RecordType.A, RecordClass.IN, 86400, new ARecordData(IPAddress.Parse("203.0.113.1"))));
        message.Additionals.Add(new DnsRecord(ns2, RecordType.A, RecordClass.IN, 86400, new ARecordData(IPAddress.Parse("203.0.113.2"))));
        return message;
    }

    private static DnsMessage Response(DnsName name, RecordType type)
    {
        var message = DnsMessage.CreateQuery(0x4A3B, name, type, edns: new EdnsRecord());
        message.IsResponse = true;
        message.RecursionAvailable = true;
        return message;
    }
}
