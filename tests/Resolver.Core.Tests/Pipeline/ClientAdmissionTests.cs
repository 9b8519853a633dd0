using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Pipeline;
using Resolver.Protocol;

namespace Resolver.Core.Tests.Pipeline;

public class ClientAdmissionTests
{
    private static readonly QueryContext Client = new(new IPEndPoint(IPAddress.Parse("192.0.2.9"), 40000), ClientTransport.Udp);

    /// <summary>An admission stage with a fixed verdict that counts how often it is asked.</summary>
    private sealed class FixedAdmission(AdmissionVerdict verdict) : IQueryStage, IClientAdmission
    {
        public int Asked;
        public int AnsweredAsStage;

        public AdmissionVerdict Admit(IPAddress client)
        {
            Asked++;
            return verdict;
        }

        public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
        {
            AnsweredAsStage++;
            return new ValueTask<int>(StageResult.Pass);
        }
    }

    private sealed class RefusingEverything : IQueryStage
    {
        public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken) =>
            new(ResponseWriter.WriteError(request, DnsResponseCode.NXDomain, response.Span));
    }

    private static int Handle(IQueryStage[] stages, byte[] message, out byte[] response)
    {
        response = new byte[65535];
        var pipeline = new QueryPipeline(stages, new PipelineOptions(), NullLogger<QueryPipeline>.Instance);
        return pipeline.HandleAsync(message, response, Client, CancellationToken.None).AsTask().Result;
    }

    private static byte[] Query(DnsOpcode opcode = DnsOpcode.Query)
    {
        var query = DnsMessage.CreateQuery(77, DnsName.Parse("a.example."), RecordType.A);
        query.Opcode = opcode;
        return query.ToArray();
    }

    private static readonly byte[] GarbageAfterHeader = [0, 77, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF];

    [Test]
    public void Dropped_client_gets_nothing_even_for_messages_that_would_earn_formerr_or_notimp()
    {
        var drop = new FixedAdmission(AdmissionVerdict.Drop);
        Assert.That(Handle([drop], GarbageAfterHeader, out _), Is.Zero, "FORMERR would reflect a spoofed flood");
        Assert.That(Handle([drop], Query(DnsOpcode.Status), out _), Is.Zero, "NOTIMP likewise");
        Assert.That(Handle([drop], Query(), out _), Is.Zero);
    }

    [Test]
    public void Refused_client_hears_refused_whatever_else_is_wrong()
    {
        var refuse = new FixedAdmission(AdmissionVerdict.Refuse);
        Handle([refuse, new RefusingEverything()], Query(DnsOpcode.Status), out var notimp);
        Assert.That(DnsHeader.Read(notimp).ResponseCodeLow, Is.EqualTo((byte)DnsResponseCode.Refused));
        Handle([refuse, new RefusingEverything()], GarbageAfterHeader, out var formerr);
        Assert.That(DnsHeader.Read(formerr).ResponseCodeLow, Is.EqualTo((byte)DnsResponseCode.Refused));
        int length = Handle([refuse, new RefusingEverything()], Query(), out var refused);
        var message = DnsMessage.Parse(refused.AsSpan(0, length));
        Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.Refused));
        Assert.That(message.Questions, Has.Count.EqualTo(1), "a readable question is echoed");
    }

    [Test]
    public void Admission_is_asked_once_per_query_and_not_again_as_a_stage()
    {
        var admit = new FixedAdmission(AdmissionVerdict.Admit);
        int length = Handle([admit, new RefusingEverything()], Query(), out var response);
        Assert.That(DnsMessage.Parse(response.AsSpan(0, length)).ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
        Assert.That((admit.Asked, admit.AnsweredAsStage), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Responses_are_dropped_before_admission_is_asked()
    {
        var admit = new FixedAdmission(AdmissionVerdict.Admit);
        var response = DnsMessage.CreateQuery(5, DnsName.Parse("a.example."), RecordType.A);
        response.IsResponse = true;
        Assert.That(Handle([admit], response.ToArray(), out _), Is.Zero);
        Assert.That(admit.Asked, Is.Zero, "a rate limiter must not spend a client's tokens on responses");
    }
}
