using System.Diagnostics.Metrics;
using System.Net;
using Resolver.Core.Admission;
using Resolver.Core.Pipeline;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.StageQuery;

namespace Resolver.Core.Tests.Admission;

public class AccessControlStageTests
{
    private static AccessControlStage Stage(AccessControlOptions? options = null, AdmissionMetrics? metrics = null) =>
        new(options ?? new AccessControlOptions(), metrics ?? new AdmissionMetrics());

    private static IPEndPoint Client(string address) => new(IPAddress.Parse(address), 5353);

    [TestCase("127.0.0.1")]
    [TestCase("127.8.9.10")]
    [TestCase("::1")]
    [TestCase("10.1.2.3")]
    [TestCase("172.20.0.1")]
    [TestCase("192.168.1.10")]
    [TestCase("169.254.3.4")]
    [TestCase("fd00::53")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:10.1.2.3")]
    [TestCase("::ffff:127.0.0.1")]
    public void Built_in_rules_allow_loopback_private_ula_and_link_local_clients(string client) =>
        Assert.That(Run(Stage(), Packet("example.com."), out _, Client(client)), Is.EqualTo(StageResult.Pass));

    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("2001:db8::1")]
    [TestCase("::ffff:8.8.8.8")]
    public void Other_clients_are_refused(string client)
    {
        var response = Answer(Stage(), Packet("example.com."), Client(client));
        Assert.That(response.ResponseCode, Is.EqualTo(DnsResponseCode.Refused), Show(response));
        Assert.That(response.Id, Is.EqualTo(0x4242));
        Assert.That(response.Answers, Is.Empty);
    }

    [Test]
    public void Drop_rule_yields_no_answer_and_counts_the_drop()
    {
        using var metrics = new AdmissionMetrics();
        var counts = Listen(metrics);
        var stage = Stage(new AccessControlOptions { Rules = ["10.66.0.0/16 drop"] }, metrics);
        Assert.That(Run(stage, Packet("example.com."), out _, Client("10.66.1.1")), Is.EqualTo(StageResult.Drop));
        Assert.That(Run(stage, Packet("example.com."), out _, Client("10.67.1.1")), Is.EqualTo(StageResult.Pass), "the rest of 10/8 still allowed");
        Answer(stage, Packet("example.com."), Client("8.8.8.8"));
        Assert.That(counts["resolver.admission.dropped"], Is.EqualTo(1));
        Assert.That(counts["resolver.admission.refused"], Is.EqualTo(1));
    }

    [Test]
    public void Longest_prefix_wins_whatever_the_order()
    {
        var options = new AccessControlOptions
        {
            Rules = ["198.51.100.7 allow", "198.51.100.0/24 refuse", "198.51.0.0/16 allow", "10.0.0.0/8 refuse"],
        };
        var stage = Stage(options);
        Assert.That(Run(stage, Packet("a."), out _, Client("198.51.100.7")), Is.EqualTo(StageResult.Pass));
        Assert.That(Answer(stage, Packet("a."), Client("198.51.100.8")).ResponseCode, Is.EqualTo(DnsResponseCode.Refused));
        Assert.That(Run(stage, Packet("a."), out _, Client("198.51.7.7")), Is.EqualTo(StageResult.Pass));
        Assert.That(Answer(stage, Packet("a."), Client("10.1.2.3")).ResponseCode, Is.EqualTo(DnsResponseCode.Refused),
            "a rule for a built-in range replaces it");
    }

    [Test]
    public void Without_built_in_rules_the_default_action_applies_to_everyone_uncovered()
    {
        var stage = Stage(new AccessControlOptions { UseBuiltInRules = false, DefaultAction = AccessAction.Drop, Rules = ["::1 allow"] });
        Assert.That(Run(stage, Packet("a."), out _, Client("127.0.0.1")), Is.EqualTo(StageResult.Drop));
        Assert.That(Run(stage, Packet("a."), out _, Client("::1")), Is.EqualTo(StageResult.Pass));
    }

    [Test]
    public void Bad_rules_are_reported_one_message_each_with_their_position()
    {
        var options = new AccessControlOptions { Rules = ["10.0.0.0/8 allow", "10.0.0.0/8", "10.0.0.0/40 allow", "10.0.0.0/8 permit"] };
        var errors = options.Validate();
        Assert.That(errors, Has.Count.EqualTo(3), string.Join("\n", errors));
        Assert.That(errors[0], Does.StartWith("Resolver:AccessControl:Rules:1:").And.Contain("expected 'RANGE ACTION'"));
        Assert.That(errors[1], Does.StartWith("Resolver:AccessControl:Rules:2:").And.Contain("from 0 to 32"));
        Assert.That(errors[2], Does.StartWith("Resolver:AccessControl:Rules:3:").And.Contain("unknown action 'permit'"));
        Assert.Throws<FormatException>(() => Stage(options));
    }

    [Test]
    public void Refused_client_never_reaches_the_next_stage_in_the_pipeline()
    {
        var next = new CountingStage();
        var pipeline = new QueryPipeline([Stage(), next], new PipelineOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryPipeline>.Instance);
        var buffer = new byte[65535];
        int refused = pipeline.HandleAsync(Packet("example.com."), buffer, new QueryContext(Client("203.0.113.1"), ClientTransport.Udp), default).Result;
        Assert.That(DnsMessage.Parse(buffer.AsSpan(0, refused)).ResponseCode, Is.EqualTo(DnsResponseCode.Refused));
        Assert.That(next.Calls, Is.Zero);
        pipeline.HandleAsync(Packet("example.com."), buffer, new QueryContext(Client("192.168.0.2"), ClientTransport.Udp), default).AsTask().Wait();
        Assert.That(next.Calls, Is.EqualTo(1));
    }

    internal sealed class CountingStage : IQueryStage
    {
        public int Calls;

        public ValueTask<int> AnswerAsync(QueryRequest request, Memory<byte> response, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return new ValueTask<int>(ResponseWriter.WriteError(request, DnsResponseCode.NoError, response.Span));
        }
    }

    /// <summary>Counts measurements of the given metrics' meter by instrument name.</summary>
    internal static Dictionary<string, long> Listen(AdmissionMetrics metrics)
    {
        var counts = new Dictionary<string, long> { ["resolver.admission.dropped"] = 0, ["resolver.admission.refused"] = 0 };
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
        });
        listener.Start();
        return counts;
    }
}
