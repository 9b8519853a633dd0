using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Pipeline;

public class QueryPipelineTests
{
    private static readonly QueryContext Udp = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Udp);
    private static readonly QueryContext Tcp = new(new IPEndPoint(IPAddress.Loopback, 40000), ClientTransport.Tcp);

    /// <summary>A stage that answers every query with the given records.</summary>
    private sealed class FixedAnswerStage(Func<QueryRequest, DnsMessage> answer) : IQueryStage
    {
        public int Calls;

        public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
        {
            Calls++;
            return new ValueTask<int>(ResponseWriter.Write(request, answer(request), response.Span));
        }
    }

    private static QueryPipeline Pipeline(params IQueryStage[] stages) =>
        new(stages, new PipelineOptions(), NullLogger<QueryPipeline>.Instance);

    private static DnsMessage Handle(QueryPipeline pipeline, byte[] query, QueryContext? context = null)
    {
        var response = new byte[65535];
        int length = pipeline.HandleAsync(query, response, context ?? Udp, CancellationToken.None).AsTask().Result;
        Assert.That(length, Is.GreaterThan(0), "expected an answer");
        return DnsMessage.Parse(response.AsSpan(0, length));
    }

    private static byte[] Query(string name, RecordType type = RecordType.A, EdnsRecord? edns = null, ushort id = 0x1234) =>
        DnsMessage.CreateQuery(id, DnsName.Parse(name), type, edns: edns).ToArray();

    private static DnsMessage AddressAnswer(QueryRequest request, int count)
    {
        var answer = new DnsMessage();
        for (int i = 0; i < count; i++)
            answer.Answers.Add(new DnsRecord(request.GetQuestionName(), RecordType.A, RecordClass.IN, 60, new ARecordData(new IPAddress(new byte[] { 192, 0, 2, (byte)i }))));
        return answer;
    }

    [Test]
    public void Answer_echoes_id_and_question_case_and_sets_qr_ra_and_copies_rd_cd()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 1));
        var query = DnsMessage.CreateQuery(0xABCD, DnsName.Parse("WwW.ExAmple.COM."), RecordType.A);
        query.CheckingDisabled = true;
        var response = Handle(Pipeline(stage), query.ToArray());

        Assert.That(response.Id, Is.EqualTo(0xABCD));
        Assert.That(response.Questions[0].Name.EqualsExactly(DnsName.Parse("WwW.ExAmple.COM.")), Is.True, response.Questions[0].Name.ToString());
        Assert.That(response.IsResponse && response.RecursionAvailable && response.RecursionDesired && response.CheckingDisabled, Is.True);
        Assert.That(response.Edns, Is.Null, "no OPT in the answer to a query without OPT");
    }

    [Test]
    public void Opt_in_answer_only_when_query_had_one_with_our_size_and_do_copied()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 1));
        var response = Handle(Pipeline(stage), Query("a.example.", edns: new EdnsRecord { UdpPayloadSize = 4096, DnssecOk = true }));
        Assert.That(response.Edns, Is.Not.Null);
        Assert.That(response.Edns!.UdpPayloadSize, Is.EqualTo(1232));
        Assert.That(response.Edns.DnssecOk, Is.True);
        Assert.That(response.Edns.Version, Is.Zero);
    }

    [TestCase(ClientTransport.Tls, true)]
    [TestCase(ClientTransport.Https, true)]
    [TestCase(ClientTransport.Udp, false)]
    [TestCase(ClientTransport.Tcp, false)]
    public void Padded_query_gets_a_padded_answer_only_over_an_encrypted_transport(ClientTransport transport, bool padded)
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 1));
        var edns = new EdnsRecord();
        edns.Options.Add(new PaddingOption(0));
        var response = new byte[65535];

        int length = Pipeline(stage).HandleAsync(Query("a.example.", edns: edns), response,
            new QueryContext(Udp.Client, transport), CancellationToken.None).AsTask().Result;

        var padding = DnsMessage.Parse(response.AsSpan(0, length)).Edns!.Options.OfType<PaddingOption>();
        Assert.That(padding, padded ? Is.Not.Empty : Is.Empty);
        Assert.That(length % MessagePadding.ResponseBlock == 0, Is.EqualTo(padded), $"length {length}");
    }

    [Test]
    public void Edns_version_above_zero_gets_badvers()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 1));
        var response = Handle(Pipeline(stage), Query("a.example.", edns: new EdnsRecord { Version = 1 }));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.BadVers));
        Assert.That(stage.Calls, Is.Zero);
    }

    [Test]
    public void Answer_larger_than_512_without_edns_is_truncated_to_the_question()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 40));
        var response = Handle(Pipeline(stage), Query("a.example."));
        Assert.That(response.Truncated, Is.True);
        Assert.That(response.Answers, Is.Empty);
        Assert.That(response.Questions, Has.Count.EqualTo(1));

        var overTcp = Handle(Pipeline(stage), Query("a.example."), Tcp);
        Assert.That(overTcp.Truncated, Is.False);
        Assert.That(overTcp.Answers, Has.Count.EqualTo(40));
    }

    [Test]
    public void Answer_limit_follows_the_smaller_of_client_and_our_edns_size()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 60)); // about 1000 bytes
        Assert.That(Handle(Pipeline(stage), Query("a.example.", edns: new EdnsRecord { UdpPayloadSize = 4096 })).Truncated, Is.False);
        Assert.That(Handle(Pipeline(stage), Query("a.example.", edns: new EdnsRecord { UdpPayloadSize = 600 })).Truncated, Is.True);
        var big = new FixedAnswerStage(r => AddressAnswer(r, 90)); // about 1450 bytes: over our 1232
        Assert.That(Handle(Pipeline(big), Query("a.example.", edns: new EdnsRecord { UdpPayloadSize = 4096 })).Truncated, Is.True);
    }

    [Test]
    public void Malformed_query_with_readable_header_gets_formerr()
    {
        var bytes = Query("a.example.");
        var cut = bytes.AsSpan(0, bytes.Length - 3).ToArray(); // type/class cut short
        var response = Handle(Pipeline(), cut);
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.FormErr));
        Assert.That(response.Id, Is.EqualTo(0x1234));
    }

    [Test]
    public void Two_questions_get_formerr_and_other_opcodes_get_notimp()
    {
        var two = DnsMessage.CreateQuery(7, DnsName.Parse("a.example."), RecordType.A);
        two.Questions.Add(new DnsQuestion(DnsName.Parse("b.example."), RecordType.A));
        Assert.That(Handle(Pipeline(), two.ToArray()).ResponseCode, Is.EqualTo(DnsResponseCode.FormErr));

        var notify = DnsMessage.CreateQuery(8, DnsName.Parse("a.example."), RecordType.SOA);
        notify.Opcode = DnsOpcode.Notify;
        var response = Handle(Pipeline(), notify.ToArray());
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.NotImp));
        Assert.That(response.Opcode, Is.EqualTo(DnsOpcode.Notify));
    }

    [Test]
    public void Messages_with_qr_set_and_runt_datagrams_are_dropped()
    {
        var stage = new FixedAnswerStage(r => AddressAnswer(r, 1));
        var message = DnsMessage.CreateQuery(9, DnsName.Parse("a.example."), RecordType.A);
        message.IsResponse = true;
        var response = new byte[65535];
        Assert.That(Pipeline(stage).HandleAsync(message.ToArray(), response, Udp, default).Result, Is.Zero);
        Assert.That(Pipeline(stage).HandleAsync(new byte[5], response, Udp, default).Result, Is.Zero);
        Assert.That(stage.Calls, Is.Zero);
    }

    [Test]
    public void Failing_stage_costs_one_servfail_not_the_pipeline()
    {
        var throwing = new FixedAnswerStage(_ => throw new InvalidOperationException("bug"));
        Assert.That(Handle(Pipeline(throwing), Query("a.example.")).ResponseCode, Is.EqualTo(DnsResponseCode.ServFail));
    }

    [Test]
    public void Query_no_stage_answers_is_refused() =>
        Assert.That(Handle(Pipeline(), Query("a.example.")).ResponseCode, Is.EqualTo(DnsResponseCode.Refused));
}
