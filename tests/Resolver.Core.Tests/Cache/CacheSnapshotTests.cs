using ManualClock = Resolver.TestKit.Fakes.ManualClock;
using Resolver.Core.Cache;
using Resolver.Core.Tests.Forwarding;
using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.Core.Tests.Cache;

/// <summary>The snapshot file format and its checks: what a restart puts back, and what it refuses.</summary>
public class CacheSnapshotTests
{
    private static byte[] Snapshot(ResponseCache cache, TimeProvider clock)
    {
        using var stream = new MemoryStream();
        CacheSnapshotFile.Write(cache.Export(), stream, clock.GetUtcNow());
        return stream.ToArray();
    }

    private static FakeReply NxDomain(string zone) => FakeReply.Records(q =>
    {
        var message = FakeReply.Answer(q, DnsResponseCode.NXDomain);
        message.Authorities.Add(new DnsRecord(DnsName.Parse(zone), RecordType.SOA, RecordClass.IN, 600,
            new SoaRecordData(DnsName.Parse("ns." + zone), DnsName.Parse("admin." + zone), 1, 3600, 600, 86400, 600)));
        return message;
    });

    [Test]
    public async Task Snapshot_restores_answers_with_their_remaining_ttl_and_no_upstream_traffic()
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(FakeReply.Address("192.0.2.9", ttl: 300)), clock, cache: c => c.Prefetch = false);
        await before.AskAsync("a.example.");
        await before.AskAsync("b.example.");
        clock.Advance(TimeSpan.FromSeconds(40));
        byte[] snapshot = Snapshot(before.Cache, clock);

        clock.Advance(TimeSpan.FromSeconds(60)); // the restart's downtime counts too
        using var after = new ResolverHarness(new FakeExchange(FakeReply.Address("192.0.2.99")), clock, cache: c => c.Prefetch = false);
        var result = CacheSnapshotFile.Read(after.Cache, snapshot);
        var answer = await after.AskAsync("a.example.");

        Assert.That(result, Is.EqualTo(new SnapshotLoadResult(2, 0, 0)));
        Assert.That(after.Upstream.Calls, Is.Zero, "the restored entry answers");
        Assert.That(answer.Answers.Single().Data.ToText(), Is.EqualTo("192.0.2.9"));
        Assert.That(answer.Answers.Single().Ttl, Is.EqualTo(200), "300 s less the 100 s since it was first stored");
    }

    [Test]
    public async Task Snapshot_keeps_negative_answers()
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(NxDomain("example.")), clock);
        await before.AskAsync("gone.example.");
        byte[] snapshot = Snapshot(before.Cache, clock);

        using var after = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);
        CacheSnapshotFile.Read(after.Cache, snapshot);
        var answer = await after.AskAsync("gone.example.");

        Assert.That(after.Upstream.Calls, Is.Zero);
        Assert.That(answer.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
    }

    [Test]
    public async Task Expired_entries_are_dropped_and_stale_ones_kept_within_the_serve_stale_window()
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(FakeReply.Address(ttl: 60)), clock, cache: c => c.StaleRetention = TimeSpan.FromMinutes(10));
        await before.AskAsync("short.example.");
        clock.Advance(TimeSpan.FromSeconds(30));
        await before.AskAsync("later.example.");
        byte[] snapshot = Snapshot(before.Cache, clock);

        // 670 s after short.example. (60 s fresh + 600 s stale: gone), 640 s after later.example. (still stale-servable).
        clock.Advance(TimeSpan.FromSeconds(640));
        using var after = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock, cache: c => c.StaleRetention = TimeSpan.FromMinutes(10));
        var result = CacheSnapshotFile.Read(after.Cache, snapshot);

        Assert.That(result, Is.EqualTo(new SnapshotLoadResult(1, 1, 0)));
        Assert.That(after.Cache.Count, Is.EqualTo(1));
    }

    [TestCase(0, TestName = "Empty_snapshot_file_is_refused")]
    [TestCase(7, TestName = "Snapshot_cut_inside_its_header_is_refused")]
    [TestCase(100, TestName = "Snapshot_cut_inside_an_entry_is_refused")]
    [TestCase(-1, TestName = "Snapshot_missing_its_last_octet_is_refused")]
    public async Task Truncated_snapshot_is_refused_and_imports_nothing(int keep)
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);
        for (int i = 0; i < 5; i++)
            await before.AskAsync($"n{i}.example.");
        byte[] snapshot = Snapshot(before.Cache, clock);
        byte[] truncated = snapshot[..(keep >= 0 ? keep : snapshot.Length + keep)];

        using var after = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);

        Assert.Throws<InvalidDataException>(() => CacheSnapshotFile.Read(after.Cache, truncated));
        Assert.That(after.Cache.Count, Is.Zero);
    }

    [Test]
    public async Task Snapshot_with_a_flipped_octet_is_refused()
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);
        await before.AskAsync("a.example.");
        byte[] snapshot = Snapshot(before.Cache, clock);
        snapshot[snapshot.Length / 2] ^= 0x40;

        using var after = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);

        var error = Assert.Throws<InvalidDataException>(() => CacheSnapshotFile.Read(after.Cache, snapshot));
        Assert.That(error!.Message, Does.Contain("checksum"));
        Assert.That(after.Cache.Count, Is.Zero);
    }

    [Test]
    public void Foreign_file_and_other_version_are_refused_with_the_reason()
    {
        using var cache = new ResponseCache(new CacheOptions());
        byte[] foreign = "{\"Resolver\": {}}\n"u8.ToArray();
        byte[] otherVersion = new byte[40];
        "RSLVSNAP"u8.CopyTo(otherVersion);
        otherVersion[9] = 9;

        Assert.That(() => CacheSnapshotFile.Read(cache, foreign), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a Resolver cache snapshot"));
        Assert.That(() => CacheSnapshotFile.Read(cache, otherVersion), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("version 9"));
    }

    [Test]
    public async Task Save_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        var clock = new ManualClock();
        using var before = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);
        await before.AskAsync("a.example.");
        string folder = Path.Combine(Path.GetTempPath(), "resolver-snapshot-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(folder, "cache.snapshot");
        try
        {
            int first = CacheSnapshotFile.Save(before.Cache, file, clock);
            await before.AskAsync("b.example.");
            int second = CacheSnapshotFile.Save(before.Cache, file, clock);
            using var after = new ResolverHarness(new FakeExchange(FakeReply.Address()), clock);
            var result = CacheSnapshotFile.Load(after.Cache, file);

            Assert.That((first, second, result.Imported), Is.EqualTo((1, 2, 2)));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "cache.snapshot" }));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
