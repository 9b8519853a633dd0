using System.Net;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;

namespace Resolver.Core.Tests.Zones;

/// <summary>Sends a real query packet through one stage, as the pipeline would, and reads what it wrote.</summary>
internal static class StageQuery
{
    public static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 40000);

    public static byte[] Packet(string name, RecordType type = RecordType.A, RecordClass recordClass = RecordClass.IN, EdnsRecord? edns = null) =>
        DnsMessage.CreateQuery(0x4242, DnsName.Parse(name), type, recordClass, edns: edns).ToArray();

    public static QueryRequest Request(byte[] packet, IPEndPoint? client = null, ClientTransport transport = ClientTransport.Udp)
    {
        Span<byte> name = stackalloc byte[255];
        var info = QueryReader.Read(packet, name);
        return new QueryRequest(packet, info, new QueryContext(client ?? Loopback, transport), 1232);
    }

    /// <summary>The stage's raw result: a length, <see cref="StageResult.Pass"/> or <see cref="StageResult.Drop"/>.</summary>
    public static int Run(IQueryStage stage, byte[] packet, out byte[] response, IPEndPoint? client = null, ClientTransport transport = ClientTransport.Udp)
    {
        response = new byte[65535];
        var pending = stage.AnswerAsync(Request(packet, client, transport), response, CancellationToken.None);
        Assert.That(pending.IsCompleted, Is.True, "the stage should answer synchronously");
        return pending.Result;
    }

    /// <summary>Runs the stage and parses its answer, failing when it passed or dropped.</summary>
    public static DnsMessage Answer(IQueryStage stage, byte[] packet, IPEndPoint? client = null, ClientTransport transport = ClientTransport.Udp)
    {
        int length = Run(stage, packet, out var response, client, transport);
        Assert.That(length, Is.GreaterThan(0), $"expected an answer, the stage returned {length}");
        return DnsMessage.Parse(response.AsSpan(0, length));
    }

    /// <summary>The answer as dig would show it, for assertion messages.</summary>
    public static string Show(DnsMessage message)
    {
        var text = new System.Text.StringBuilder();
        text.Append("rcode=").Append(message.ResponseCode).Append(" aa=").Append(message.AuthoritativeAnswer).AppendLine();
        foreach (var r in message.Answers)
            text.Append("AN ").AppendLine(r.ToString());
        foreach (var r in message.Authorities)
            text.Append("NS ").AppendLine(r.ToString());
        foreach (var r in message.Additionals)
            text.Append("AR ").AppendLine(r.ToString());
        return text.ToString();
    }
}
