using Microsoft.Extensions.Logging;
using Resolver.Core.Zones;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.ZoneStageAnswers;
using static Resolver.TestKit.Zones.ZoneFolder;
using Resolver.TestKit.Zones;

namespace Resolver.Core.Tests.Zones;

public class ZoneCatalogTests
{
    private ZoneFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new ZoneFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Edited_zone_file_is_served_after_reload()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        var stage = Stage(catalog);
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));

        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.2\nnew IN TXT \"added\"\n");
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }), "nothing changes before the reload");
        var reloaded = catalog.Reload();

        Assert.That(reloaded.IsClean, Is.True, string.Join("\n", reloaded.Rejected));
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.2" }));
        Assert.That(Ask(stage, "new.example.test.", RecordType.TXT), Is.EqualTo(new[] { "TXT \"added\"" }));
        Assert.That(catalog.Reloads, Is.EqualTo(1));
    }

    [Test]
    public void Broken_edit_keeps_the_previous_version_serving_and_reports_the_error()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        _folder.WriteZone("other.test.zone", "host IN A 198.51.100.1\n");
        var log = new RecordingLogger();
        var catalog = ZoneCatalog.Load(_folder.Path, log);
        var stage = Stage(catalog);

        // Line 6: a CNAME beside the A of line 5.
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.2\nwww IN CNAME elsewhere.\n");
        _folder.WriteZone("other.test.zone", "host IN A 198.51.100.2\n");
        var reloaded = catalog.Reload();

        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }), "the last good version still answers");
        Assert.That(Ask(stage, "host.other.test."), Is.EqualTo(new[] { "A 198.51.100.2" }), "the good edit of the other file is served");
        var rejection = reloaded.Rejected.Single();
        Assert.That(rejection.File, Is.EqualTo(_folder.Shown("example.test.zone")));
        Assert.That(rejection.Error, Does.StartWith(_folder.Shown("example.test.zone") + ":6: CNAME at www.example.test."));
        Assert.That(rejection.Kept?.Apex, Is.EqualTo(DnsName.Parse("example.test.")));
        Assert.That(catalog.LastLoad, Is.SameAs(reloaded));
        Assert.That(log.At(LogLevel.Error), Is.EqualTo(new[] { rejection.Error }));
        Assert.That(log.At(LogLevel.Warning), Has.Some.Contains("still serving the previous version of zone example.test."));

        // A second broken reload still keeps the version from before the first one.
        _folder.Write("example.test.zone", "not a zone at all\n");
        catalog.Reload();
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));

        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.3\n");
        Assert.That(catalog.Reload().IsClean, Is.True);
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.3" }), "the fixed file is served");
    }

    [Test]
    public void New_file_adds_its_zone_and_a_deleted_file_removes_its_zone()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        var stage = Stage(catalog);

        _folder.WriteZone("added.test.zone", "www IN A 203.0.113.1\n");
        _folder.Delete("example.test.zone");
        catalog.Reload();

        Assert.That(Ask(stage, "www.added.test."), Is.EqualTo(new[] { "A 203.0.113.1" }));
        Assert.That(Ask(stage, "www.example.test."), Is.EqualTo(new[] { "pass" }), "a deleted zone is no longer local");
        Assert.That(catalog.Current.Zones, Has.Count.EqualTo(1));
    }

    [Test]
    public void New_broken_file_serves_nothing_and_the_others_stay()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        _folder.Write("broken.test.zone", "$TTL 300\nwww IN A 192.0.2.9\n");
        var reloaded = catalog.Reload();

        Assert.That(reloaded.Rejected.Single().Error, Is.EqualTo(_folder.Shown("broken.test.zone") + ": no SOA record at the apex broken.test. (RFC 1035 §5.2: a zone starts with its SOA)"));
        Assert.That(reloaded.Rejected.Single().Kept, Is.Null);
        Assert.That(Ask(Stage(catalog), "www.broken.test."), Is.EqualTo(new[] { "pass" }));
        Assert.That(Ask(Stage(catalog), "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));
    }

    [Test]
    public void File_serving_a_zone_keeps_it_when_a_new_file_claims_the_same_apex()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        // "another.zone" sorts first, so at a fresh start it would win; on reload the incumbent does.
        _folder.Write("another.zone", "$ORIGIN example.test.\n" + Head + "www IN A 192.0.2.66\n");
        var reloaded = catalog.Reload();

        Assert.That(Ask(Stage(catalog), "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));
        Assert.That(reloaded.Rejected.Single().Error,
            Is.EqualTo(_folder.Shown("another.zone") + ": zone example.test. is already served from " + _folder.Shown("example.test.zone") + "; a zone is read from one file only"));
    }

    [Test]
    public void Start_with_a_bad_zone_does_not_fail_and_serves_the_good_ones()
    {
        _folder.Write("bad.test.zone", "$TTL 300\n@ IN SOA ( ns1 hostmaster\n");
        _folder.WriteZone("good.test.zone", "www IN A 192.0.2.7\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        Assert.That(Ask(Stage(catalog), "www.good.test."), Is.EqualTo(new[] { "A 192.0.2.7" }));
        Assert.That(catalog.LastLoad.Rejected.Single().Error, Does.StartWith(_folder.Shown("bad.test.zone") + ":"));
    }

    [Test]
    public void Folder_that_disappears_keeps_the_zones_served_before()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        Directory.Delete(_folder.Path, recursive: true);
        var reloaded = catalog.Reload();
        Assert.That(reloaded.Rejected.Single().Error, Does.Contain("does not exist"));
        Assert.That(Ask(Stage(catalog), "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));
    }

    [Test]
    public void Fixed_catalog_serves_its_zones_and_cannot_reload()
    {
        var catalog = ZoneCatalog.Fixed(ZoneRecords.Set());
        Assert.That(Ask(Stage(catalog), "mail.example.test."), Is.EqualTo(new[] { "A 192.0.2.25" }));
        Assert.Throws<InvalidOperationException>(() => catalog.Reload());
    }

    [Test]
    public void Queries_during_reloads_see_either_the_old_or_the_new_zones_never_a_mix()
    {
        // A CNAME in one zone points at a name that exists only in the same version of the other
        // zone: a set with one file old and one new would answer NXDOMAIN or pass.
        void WriteVersion(int version)
        {
            _folder.WriteZone("one.test.zone", $"alias IN CNAME host-{version}.two.test.\n");
            _folder.WriteZone("two.test.zone", $"host-{version} IN A 192.0.2.{version}\n");
        }
        WriteVersion(1);
        var catalog = ZoneCatalog.Load(_folder.Path);
        var stage = Stage(catalog);
        const int Versions = 40;
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int answered = 0;

        void Read()
        {
            var packet = StageQuery.Packet("alias.one.test.");
            var buffer = new byte[4096];
            for (int i = 0; i < 200_000 && !done.IsCancellationRequested; i++)
            {
                var data = Ask(stage, packet, buffer);
                Interlocked.Increment(ref answered);
                if (data.Length != 2 || !data[0].StartsWith("CNAME host-", StringComparison.Ordinal)
                    || data[0] != $"CNAME host-{data[1][("A 192.0.2.".Length)..]}.two.test.")
                {
                    failures.Enqueue(string.Join(" | ", data));
                    return;
                }
            }
        }

        var readers = new[] { Task.Run(Read), Task.Run(Read) };
        for (int version = 2; version <= Versions && failures.IsEmpty; version++)
        {
            WriteVersion(version);
            Assert.That(catalog.Reload().IsClean, Is.True);
        }
        done.Cancel();
        Assert.That(Task.WaitAll(readers, TimeSpan.FromSeconds(30)), Is.True, "readers stop");
        Assert.That(failures, Is.Empty, "a query saw a half-swapped set");
        Assert.That(answered, Is.GreaterThan(0));
        Assert.That(Ask(stage, "alias.one.test."), Is.EqualTo(new[] { $"CNAME host-{Versions}.two.test.", $"A 192.0.2.{Versions}" }));
    }
}
