using System.Net;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.TestKit.Fakes;

/// <summary>Ready-made replies for <see cref="FakeDnsServer"/> handlers, good and bad.</summary>
public static class FakeAnswers
{
    public static readonly IPAddress DefaultAddress = IPAddress.Parse("192.0.2.1");

    /// <summary>A proper response: same ID and question, RA, one A record, OPT echoed when the query had one.</summary>
    public static DnsMessage Response(FakeQuery query, IPAddress? address = null)
    {
        var message = ResponseHeader(query.Message);
        var question = query.Message.Questions[0];
        message.Answers.Add(new DnsRecord(question.Name, RecordType.A, RecordClass.IN, 300,
            new ARecordData(address ?? DefaultAddress)));
        return message;
    }

    public static FakeReply Answer(FakeQuery query, IPAddress? address = null) => new(Response(query, address).ToArray());

    /// <summary>An empty response with the given RCODE; OPT only when <paramref name="withOpt"/>.</summary>
    public static FakeReply Rcode(FakeQuery query, DnsResponseCode rcode, bool withOpt = false)
    {
        var message = ResponseHeader(query.Message);
        message.ResponseCode = rcode;
        message.Edns = withOpt ? new EdnsRecord() : null;
        return new FakeReply(message.ToArray());
    }

    /// <summary>An empty response with TC=1, as a server sends when the answer does not fit in UDP.</summary>
    public static FakeReply Truncated(FakeQuery query)
    {
        var message = ResponseHeader(query.Message);
        message.Truncated = true;
        return new FakeReply(message.ToArray());
    }

    /// <summary>The proper answer with another ID.</summary>
    public static FakeReply WrongId(FakeQuery query)
    {
        var message = Response(query, IPAddress.Parse("203.0.113.66"));
        message.Id = (ushort)(query.Message.Id ^ 0x5A5A);
        return new FakeReply(message.ToArray());
    }

    /// <summary>A response with the right ID that answers <paramref name="question"/> instead.</summary>
    public static FakeReply ForQuestion(FakeQuery query, DnsQuestion question)
    {
        var message = new DnsMessage { Id = query.Message.Id, IsResponse = true, RecursionDesired = true, RecursionAvailable = true };
        message.Questions.Add(question);
        message.Answers.Add(new DnsRecord(question.Name, RecordType.A, RecordClass.IN, 300, new ARecordData(IPAddress.Parse("203.0.113.66"))));
        return new FakeReply(message.ToArray());
    }

    /// <summary>Right ID and question, then a record whose RDATA length runs past the end.</summary>
    public static FakeReply BrokenAfterQuestion(FakeQuery query)
    {
        byte[] good = Response(query).ToArray();
        // Cut the last 2 octets: the answer's RDATA now claims more than is there.
        return new FakeReply(good[..^2]);
    }

    /// <summary>Random-looking octets that are no DNS message at all.</summary>
    public static FakeReply Garbage(int length = 7) =>
        new(Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray());

    private static DnsMessage ResponseHeader(DnsMessage query)
    {
        var message = new DnsMessage
        {
            Id = query.Id,
            IsResponse = true,
            RecursionDesired = query.RecursionDesired,
            RecursionAvailable = true,
            CheckingDisabled = query.CheckingDisabled,
            Edns = query.Edns is null ? null : new EdnsRecord { DnssecOk = query.Edns.DnssecOk },
        };
        message.Questions.Add(query.Questions[0]);
        return message;
    }
}
