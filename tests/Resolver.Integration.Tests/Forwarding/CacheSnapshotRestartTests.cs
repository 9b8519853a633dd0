using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Forwarding;

/// <summary>
/// Resolver:Cache:SnapshotFile through the real host: the cache written at a clean stop is what the next start
/// answers from, before any upstream traffic; a damaged file is logged and the service starts cold.
/// </summary>
public sealed class CacheSnapshotRestartTests : ResolverFixture
{
    private string _snapshot = null!;

    [SetUp]
    public void ChooseSnapshotPath() =>
        _snapshot = Path.Combine(Path.GetTempPath(), $"resolver-snapshot-{Guid.NewGuid():N}.bin");

    [TearDown]
    public void DeleteSnapshot() => File.Delete(_snapshot);

    [Test]
    public async Task Names_cached_before_a_clean_stop_are_answered_after_the_restart_without_upstream_traffic()
    {
        Upstream.Add("warm IN A 192.0.2.41");
        await using (var before = await StartResolverAsync(("Cache:SnapshotFile", _snapshot)))
        {
            var fetched = await before.AskUdpAsync("warm.fwd.test.", RecordType.A);
            Assert.That(fetched.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.41" }), RawDns.Describe(fetched));
        }
        Assert.That(File.Exists(_snapshot), Is.True, "the snapshot was written at the stop");
        int upstreamQueries = Upstream.QueriesFor("warm.fwd.test.");

        await using var after = await StartResolverAsync(("Cache:SnapshotFile", _snapshot));
        var restored = await after.AskUdpAsync("warm.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(restored.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.41" }), RawDns.Describe(restored));
            Assert.That(restored.Answers.Single().Ttl, Is.GreaterThan(0u).And.LessThanOrEqualTo(3600u), "the remaining TTL, never more");
            Assert.That(Upstream.QueriesFor("warm.fwd.test."), Is.EqualTo(upstreamQueries), "answered from the restored cache");
            Assert.That(after.Logs.ToString(), Does.Contain("1 entries loaded"), after.Logs.ToString());
        });
    }

    [Test]
    public async Task A_truncated_snapshot_is_logged_and_the_service_starts_cold_and_serves()
    {
        Upstream.Add("cold IN A 192.0.2.42");
        await using (var before = await StartResolverAsync(("Cache:SnapshotFile", _snapshot)))
        {
            await before.AskUdpAsync("cold.fwd.test.", RecordType.A);
        }
        var bytes = await File.ReadAllBytesAsync(_snapshot);
        await File.WriteAllBytesAsync(_snapshot, bytes[..(bytes.Length / 2)]);
        int upstreamQueries = Upstream.QueriesFor("cold.fwd.test.");

        await using var after = await StartResolverAsync(("Cache:SnapshotFile", _snapshot));
        var answer = await after.AskUdpAsync("cold.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(after.Logs.ToString(), Does.Contain("ignored, starting with an empty cache"), after.Logs.ToString());
            Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.42" }), RawDns.Describe(answer));
            Assert.That(Upstream.QueriesFor("cold.fwd.test."), Is.EqualTo(upstreamQueries + 1), "nothing restored: asked upstream again");
        });
    }
}
