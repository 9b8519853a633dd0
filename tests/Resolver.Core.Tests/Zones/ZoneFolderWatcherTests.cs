using Resolver.Core.Zones;
using static Resolver.Core.Tests.Zones.ZoneStageAnswers;
using static Resolver.TestKit.Zones.ZoneFolder;
using Resolver.TestKit.Zones;
using Resolver.TestKit.Waiting;

namespace Resolver.Core.Tests.Zones;

public class ZoneFolderWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private ZoneFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new ZoneFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    /// <summary>Polls until <paramref name="condition"/> holds, for at most <see cref="Patience"/> (no timing is asserted).</summary>
    private static bool WaitFor(Func<bool> condition) => Eventually.TrueWithin(condition, Patience);

    [Test]
    public void Edited_zone_file_is_served_once_the_watcher_reloads()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        var stage = Stage(catalog);
        using var watcher = new ZoneFolderWatcher(catalog, TimeSpan.FromMilliseconds(50));
        Assert.That(watcher.IsWatching, Is.True);

        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.2\n");
        Assert.That(WaitFor(() => Ask(stage, "www.example.test.")[0] == "A 192.0.2.2"), Is.True,
            $"no reload within {Patience}: {string.Join(" ", Ask(stage, "www.example.test."))}");

        _folder.WriteZone("added.test.zone", "www IN A 203.0.113.1\n");
        Assert.That(WaitFor(() => Ask(stage, "www.added.test.")[0] == "A 203.0.113.1"), Is.True, "a new file is picked up");
    }

    [Test]
    public void Burst_of_writes_is_one_reload_after_the_folder_is_quiet()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        using var watcher = new ZoneFolderWatcher(catalog, TimeSpan.FromSeconds(1));
        const int Writes = 6;
        for (int i = 2; i < 2 + Writes; i++)
            _folder.WriteZone("example.test.zone", $"www IN A 192.0.2.{i}\n");

        Assert.That(WaitFor(() => Ask(Stage(catalog), "www.example.test.")[0] == $"A 192.0.2.{Writes + 1}"), Is.True);
        Assert.That(catalog.Reloads, Is.LessThan(Writes), "the delay folds a burst of changes into few reloads");
    }

    [Test]
    public void Disposed_watcher_reloads_no_more()
    {
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.1\n");
        var catalog = ZoneCatalog.Load(_folder.Path);
        new ZoneFolderWatcher(catalog, TimeSpan.FromMilliseconds(20)).Dispose();
        _folder.WriteZone("example.test.zone", "www IN A 192.0.2.2\n");
        Thread.Sleep(500);
        Assert.That(catalog.Reloads, Is.Zero);
        Assert.That(Ask(Stage(catalog), "www.example.test."), Is.EqualTo(new[] { "A 192.0.2.1" }));
    }

    [Test]
    public void Missing_folder_is_not_watched_and_does_not_throw()
    {
        var catalog = ZoneCatalog.Load(Path.Combine(_folder.Root, "missing"));
        using var watcher = new ZoneFolderWatcher(catalog);
        Assert.That(watcher.IsWatching, Is.False);
    }

    [Test]
    public void Catalog_without_a_folder_cannot_be_watched() =>
        Assert.Throws<ArgumentException>(() => new ZoneFolderWatcher(ZoneCatalog.Fixed(ZoneSet.Empty)));
}
