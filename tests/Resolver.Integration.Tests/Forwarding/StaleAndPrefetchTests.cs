using System.Diagnostics;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Protocol.Edns;
using Resolver.TestKit.Fakes;
using Resolver.TestKit.Waiting;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>RFC 8767 serve-stale and Unbound-style prefetch, against a real host and a fake upstream.</summary>
public sealed class StaleAndPrefetchTests : ResolverFixture
{
    [Test]
    public async Task Expired_answer_is_served_stale_when_the_upstream_dies()
    {
        Upstream.Add("brief 1 IN A 192.0.2.7");
        // Expiry on the host's clock, advanced; the deadline and the client timer stay on real time (ManualClock's timers).
        var time = new ManualClock();
        await using var resolver = await StartResolverAsync(time, ("Forwarder:OverallDeadline", "00:00:01"), ("Cache:Prefetch", "false"));
        var fresh = await resolver.AskUdpAsync(RawDns.Query("brief.fwd.test.", RecordType.A, edns: true));
        Assert.That(fresh.Answers.Single().Ttl, Is.EqualTo(1u), RawDns.Describe(fresh));

        time.Advance(TimeSpan.FromSeconds(2));
        Upstream.Silent = true;
        var clock = Stopwatch.StartNew();
        var stale = await resolver.AskUdpAsync(RawDns.Query("brief.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(4));

        Assert.Multiple(() =>
        {
            Assert.That(stale.ResponseCode, Is.EqualTo(DnsResponseCode.NoError), RawDns.Describe(stale));
            Assert.That(stale.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.7" }));
            Assert.That(stale.Answers.Single().Ttl, Is.EqualTo(30u), "RFC 8767 §4: stale answers carry TTL 30");
            Assert.That(stale.Edns?.Find<ExtendedErrorOption>()?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.StaleAnswer), "EDE 3 Stale Answer");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2.5)), "no later than the deadline");
            Assert.That(Upstream.QueriesFor("brief.fwd.test."), Is.GreaterThanOrEqualTo(2), "the upstream was asked again first");
        });
    }

    [Test]
    public async Task Entry_near_expiry_is_refreshed_in_the_background_before_it_expires()
    {
        Upstream.Add("pre 3 IN A 192.0.2.8");
        // The host's clock moves only when told: however slow the machine, the entry is 0.5 s old when hit, so the
        // refresh cannot be mistaken for an expiry. Refresh once less than 90% of the TTL is left.
        var clock = new ManualClock();
        await using var resolver = await StartResolverAsync(clock, ("Cache:PrefetchThreshold", "0.9"));
        await resolver.AskUdpAsync("pre.fwd.test.", RecordType.A);
        Upstream.Replace("pre 3 IN A 192.0.2.9");

        clock.Advance(TimeSpan.FromMilliseconds(500));
        var hit = await resolver.AskUdpAsync("pre.fwd.test.", RecordType.A);
        int upstreamQueries = await Upstream.WaitForQueriesAsync("pre.fwd.test.", 2);
        // The refresh has reached the upstream; its answer is stored a moment later.
        DnsMessage refreshed = hit;
        await Eventually.TrueWithinAsync(async () =>
            (refreshed = await resolver.AskUdpAsync("pre.fwd.test.", RecordType.A)).Answers.Single().Data.ToText() == "192.0.2.9",
            TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(hit.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.8" }), "the hit is answered from the cache at once");
            Assert.That(upstreamQueries, Is.EqualTo(2), "the hit started one background refresh: " + Upstream.Arrivals);
            Assert.That(refreshed.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.9" }), "the refreshed data replaced the entry before it expired");
            Assert.That(refreshed.Answers.Single().Ttl, Is.EqualTo(3u), "the refreshed entry is fresh: the clock has not moved since");
        });
    }

    [Test]
    public async Task Expired_nxdomain_is_served_stale_with_its_own_ede()
    {
        // SOA TTL and MINIMUM 1: the negative answer expires after a second (RFC 2308 §5).
        Upstream.Replace("@ 1 IN SOA ns.fwd.test. hostmaster.fwd.test. 1 3600 600 86400 1");
        var clock = new ManualClock();
        await using var resolver = await StartResolverAsync(clock, ("Forwarder:OverallDeadline", "00:00:01"), ("Cache:Prefetch", "false"));
        await resolver.AskUdpAsync(RawDns.Query("gone.fwd.test.", RecordType.A, edns: true));

        clock.Advance(TimeSpan.FromSeconds(2));
        Upstream.Silent = true;
        var stale = await resolver.AskUdpAsync(RawDns.Query("gone.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(4));

        Assert.That(stale.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain), RawDns.Describe(stale));
        Assert.That(stale.Edns?.Find<ExtendedErrorOption>()?.InfoCode, Is.EqualTo((ushort)ExtendedErrorCode.StaleNxDomainAnswer),
            "RFC 8914 §4.20: EDE 19 Stale NXDOMAIN Answer");
    }
}
