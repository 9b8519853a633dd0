using System.Net;
using Resolver.TestKit.Fakes;
using Resolver.Protocol;

namespace Resolver.Client.Tests;

/// <summary>
/// Shared arrangement: a fresh <see cref="DnsExchange"/> with its own metrics per test, short
/// deadlines, and one way to run an exchange in either form (sync or async) so each behaviour
/// is checked on both paths of the one implementation.
/// </summary>
public abstract class ExchangeFixture
{
    protected static readonly DnsName Name = DnsName.Parse("www.example.test.");

    protected static readonly ExchangeOptions FastOptions = new()
    {
        UdpReceiveTimeout = TimeSpan.FromMilliseconds(1500),
        TcpConnectTimeout = TimeSpan.FromSeconds(2),
        TcpReadTimeout = TimeSpan.FromMilliseconds(1500),
    };

    /// <summary>An exchange that outlives this has ignored its deadlines: fail instead of hanging the run.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    protected DnsExchange Exchange = null!;
    protected MetricRecorder Recorder = null!;

    [SetUp]
    public void CreateExchange()
    {
        Exchange = new DnsExchange();
        Recorder = new MetricRecorder(Exchange.Metrics);
    }

    [TearDown]
    public void DisposeExchange()
    {
        Recorder.Dispose();
        Exchange.Dispose();
    }

    protected static UpstreamQuery QueryA() => new(Name, RecordType.A);

    protected static async Task<ExchangeResult> Run(DnsExchange exchange, IPEndPoint server, UpstreamQuery query,
        ExchangeOptions options, bool sync, CancellationToken cancellationToken = default)
    {
        // The blocking form gets its own thread, so it never holds a pool thread the fake server needs.
        if (sync)
            return await Task.Factory.StartNew(() => exchange.Exchange(server, query, options), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).WaitAsync(HangLimit);
        return await exchange.ExchangeAsync(server, query, options, cancellationToken).AsTask().WaitAsync(HangLimit);
    }

    protected Task<ExchangeResult> Run(FakeDnsServer server, bool sync, UpstreamQuery? query = null, ExchangeOptions? options = null) =>
        Run(Exchange, server.EndPoint, query ?? QueryA(), options ?? FastOptions, sync);

    protected static void AssertAnswered(ExchangeResult result, IPAddress? expected = null)
    {
        Assert.That(result.Response.Answers, Has.Count.EqualTo(1), () => "answers: " + string.Join("; ", result.Response.Answers));
        Assert.That(result.Response.Answers[0].Data.ToText(), Is.EqualTo((expected ?? FakeAnswers.DefaultAddress).ToString()));
    }
}
