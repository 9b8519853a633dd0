using Resolver.Core.Forwarding;

namespace Resolver.Core.Tests.Forwarding;

public class RttEstimatorTests
{
    private static RttEstimator Estimator() => new(initialRtoMs: 400, minRtoMs: 50, maxRtoMs: 2000);

    [Test]
    public void Unknown_server_gets_the_initial_timeout_and_ranks_first()
    {
        var rtt = Estimator();
        Assert.That(rtt.TimeoutMs, Is.EqualTo(400));
        Assert.That(rtt.RankMs, Is.Zero);
        Assert.That(rtt.ExpectedMs(0.9), Is.Null);
    }

    [Test]
    public void First_sample_sets_srtt_and_half_of_it_as_variance_per_rfc_6298()
    {
        var rtt = Estimator();
        rtt.AddSample(100);
        Assert.That(rtt.SmoothedMs, Is.EqualTo(100));
        Assert.That(rtt.VarianceMs, Is.EqualTo(50));
        Assert.That(rtt.TimeoutMs, Is.EqualTo(300), "SRTT + 4 RTTVAR");
        rtt.AddSample(20);
        Assert.That(rtt.VarianceMs, Is.EqualTo(0.75 * 50 + 0.25 * 80));
        Assert.That(rtt.SmoothedMs, Is.EqualTo(0.875 * 100 + 0.125 * 20));
    }

    [Test]
    public void Timeout_is_bounded_and_doubles_on_each_timeout_until_the_next_answer()
    {
        var rtt = Estimator();
        for (int i = 0; i < 20; i++)
            rtt.AddSample(1);
        Assert.That(rtt.TimeoutMs, Is.EqualTo(50), "lower bound");
        rtt.OnTimeout();
        Assert.That(rtt.TimeoutMs, Is.EqualTo(100));
        rtt.OnTimeout();
        Assert.That(rtt.TimeoutMs, Is.EqualTo(200));
        for (int i = 0; i < 10; i++)
            rtt.OnTimeout();
        Assert.That(rtt.TimeoutMs, Is.EqualTo(2000), "upper bound");
        rtt.AddSample(1);
        Assert.That(rtt.TimeoutMs, Is.EqualTo(50));
    }

    [Test]
    public void Expected_rtt_is_the_quantile_of_recent_answers()
    {
        var rtt = Estimator();
        for (int i = 1; i <= 20; i++)
            rtt.AddSample(i);
        Assert.That(rtt.ExpectedMs(0.9), Is.EqualTo(18));
        Assert.That(rtt.ExpectedMs(0.5), Is.EqualTo(10));
    }

    [Test]
    public void Overtaken_query_only_raises_the_smoothed_rtt()
    {
        var rtt = Estimator();
        rtt.AddSample(10);
        rtt.AddLowerBound(5);
        Assert.That(rtt.SmoothedMs, Is.EqualTo(10));
        rtt.AddLowerBound(90);
        Assert.That(rtt.SmoothedMs, Is.EqualTo(20));
    }
}
