using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Resolver.Client.Upstreams;
using Resolver.TestKit.Fakes;

namespace Resolver.Client.Tests;

/// <summary>
/// The value form (<see cref="IDnsExchange.TryExchangeAsync"/>) ends a failed exchange with an outcome, not an
/// exception: the forwarder's hot path meets thousands of timeouts a second under load. Every test watches the
/// first-chance exceptions of its own async flow, so a throw caught anywhere inside the exchange fails it.
/// </summary>
public class FailureValueTests : ExchangeFixture
{
    [Test]
    public async Task A_silent_server_ends_in_a_timeout_outcome_without_an_upstream_exception()
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromMilliseconds(200) };

        var (outcome, thrown) = await WatchingExceptions(() =>
            Exchange.TryExchangeAsync(UpstreamEndpoint.Udp(server.EndPoint), QueryA(), options, CancellationToken.None));

        Assert.That(outcome.Result, Is.Null);
        Assert.That(outcome.Failure?.Kind, Is.EqualTo(UpstreamFailureKind.Timeout), outcome.Failure?.Message);
        Assert.That(thrown.OfType<OperationCanceledException>(), Is.Not.Empty,
            "the watch sees the exchange's flow: the runtime's cancelled receive is the one exception left");
        Assert.That(thrown.OfType<UpstreamException>(), Is.Empty, "no UpstreamException thrown inside the exchange");
        Assert.That(Recorder.Total("resolver.client.failures", "timeout"), Is.EqualTo(1), "still counted");
    }

    [Test]
    public async Task A_closed_port_ends_in_a_network_error_outcome_without_an_upstream_exception()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = (IPEndPoint)probe.LocalEndPoint!;
        probe.Close(); // nothing listens there now: the kernel answers with port-unreachable

        var (outcome, thrown) = await WatchingExceptions(() =>
            Exchange.TryExchangeAsync(UpstreamEndpoint.Udp(closed), QueryA(), FastOptions, CancellationToken.None));

        Assert.That(outcome.Failure?.Kind, Is.EqualTo(UpstreamFailureKind.NetworkError), outcome.Failure?.Message);
        Assert.That(thrown.OfType<UpstreamException>(), Is.Empty);
    }

    [Test]
    public async Task An_answer_is_a_result_and_the_throwing_form_still_throws_what_the_value_form_returns()
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromMilliseconds(200) };
        using var answering = FakeDnsServer.Start();

        var answered = await Exchange.TryExchangeAsync(UpstreamEndpoint.Udp(answering.EndPoint), QueryA(), FastOptions, CancellationToken.None);
        var failure = Assert.ThrowsAsync<UpstreamException>(async () =>
            await Exchange.ExchangeAsync(UpstreamEndpoint.Udp(server.EndPoint), QueryA(), options, CancellationToken.None));

        Assert.That(answered.Result, Is.Not.Null, answered.Failure?.Message);
        Assert.That(answered.Failure, Is.Null);
        Assert.That(answered.Result!.Response.Answers, Has.Count.EqualTo(1));
        Assert.That(failure!.Kind, Is.EqualTo(UpstreamFailureKind.Timeout));
    }

    [Test]
    public void The_callers_cancellation_still_throws()
    {
        using var server = FakeDnsServer.StartSilent();
        var options = new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromSeconds(30) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.CatchAsync<OperationCanceledException>(async () =>
            await Exchange.TryExchangeAsync(UpstreamEndpoint.Udp(server.EndPoint), QueryA(), options, cancellation.Token));
    }

    /// <summary>Runs <paramref name="exchange"/> and collects the exceptions thrown in its flow (caught or not).</summary>
    private static async Task<(ExchangeOutcome Outcome, List<Exception> Thrown)> WatchingExceptions(Func<ValueTask<ExchangeOutcome>> exchange)
    {
        var thrown = new List<Exception>();
        var watching = new AsyncLocal<bool>();
        void Record(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (watching.Value)
            {
                lock (thrown)
                    thrown.Add(e.Exception);
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            watching.Value = true;
            var outcome = await exchange();
            watching.Value = false;
            lock (thrown)
                return (outcome, [.. thrown]);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }
    }
}
