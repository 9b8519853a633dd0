using System.Net;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.NameService.Tests.Dns;

/// <summary>Replies for <see cref="FakeDnsServer"/> handlers, built as a recursive server would send them.</summary>
internal static class UpstreamReplies
{
    /// <summary>A response to <paramref name="query"/>: same ID and question, RD copied, RA set, OPT echoed.</summary>
    public static DnsMessage To(FakeQuery query, DnsResponseCode rcode = DnsResponseCode.NoError, params DnsRecord[] answers)
    {
        var message = new DnsMessage
        {
            Id = query.Message.Id,
            IsResponse = true,
            RecursionDesired = query.Message.RecursionDesired,
            RecursionAvailable = true,
            ResponseCode = rcode,
            Edns = query.Message.Edns is null ? null : new EdnsRecord(),
        };
        message.Questions.Add(query.Message.Questions[0]);
        message.Answers.AddRange(answers);
        return message;
    }

    public static IEnumerable<FakeReply> Send(this DnsMessage message) => [new FakeReply(message.ToArray())];

    public static IEnumerable<FakeReply> Answer(FakeQuery query, params DnsRecord[] answers) => To(query, DnsResponseCode.NoError, answers).Send();

    public static IEnumerable<FakeReply> Rcode(FakeQuery query, DnsResponseCode rcode) => To(query, rcode).Send();

    public static DnsRecord A(string owner, string address) =>
        new(DnsName.Parse(owner), RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse(address)));

    public static DnsRecord Aaaa(string owner, string address) =>
        new(DnsName.Parse(owner), RecordType.AAAA, RecordClass.IN, 300, new AaaaRecordData(IPAddress.Parse(address)));

    public static DnsRecord Cname(string owner, string target) =>
        new(DnsName.Parse(owner), RecordType.CNAME, RecordClass.IN, 300, new NameRecordData(RecordType.CNAME, DnsName.Parse(target)));

    public static DnsRecord Ptr(string owner, string target) =>
        new(DnsName.Parse(owner), RecordType.PTR, RecordClass.IN, 300, new NameRecordData(RecordType.PTR, DnsName.Parse(target)));

    /// <summary>The question of a query as "name TYPE", for asserting what the server saw.</summary>
    public static string Asked(FakeQuery query) => $"{query.Message.Questions[0].Name} {query.Message.Questions[0].Type}";

    public static string Name(FakeQuery query) => query.Message.Questions[0].Name.ToString().ToLowerInvariant();

    public static RecordType Type(FakeQuery query) => query.Message.Questions[0].Type;
}
