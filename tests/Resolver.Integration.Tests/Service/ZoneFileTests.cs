using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resolver.Core.Zones;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.TestKit.Waiting;

namespace Resolver.Integration.Tests.Service;

/// <summary>Operators' zone files: a broken one is reported with file:line and does not take the others down; edits are reloaded.</summary>
public sealed class ZoneFileTests : ResolverFixture
{
    private const string Reloadable = """
        $ORIGIN reload.test.
        $TTL 60
        @     IN SOA ns.reload.test. hostmaster.reload.test. 1 3600 600 86400 60
        @     IN NS  ns.reload.test.
        ns    IN A   192.0.2.53
        host  IN A   192.0.2.1
        """;

    [Test]
    public async Task Bad_zone_file_is_logged_with_file_and_line_and_the_other_zones_serve()
    {
        using var zones = ZoneFolder.Create();
        zones.Write(TestZones.LocalFileName, TestZones.Local);
        zones.Write("broken.test.zone", """
            $ORIGIN broken.test.
            $TTL 60
            @     IN SOA ns.broken.test. hostmaster.broken.test. 1 3600 600 86400 60
            www   IN A   192.0.2.300
            """);
        await using var resolver = await ResolverUnderTest.StartAsync(zones.Path, Upstream);

        var good = await resolver.AskUdpAsync("www.local.test.", RecordType.A);

        Assert.That(good.Answers, Has.Count.EqualTo(1), "the good zone still serves: " + RawDns.Describe(good));
        Assert.That(resolver.Logs.Contains(LogLevel.Error, "broken.test.zone:4"), Is.True,
            "an Error naming broken.test.zone:4; log was:" + Environment.NewLine + resolver.Logs);
    }

    [Test]
    public async Task Edited_zone_is_served_after_a_reload_and_a_broken_edit_keeps_the_last_good_version()
    {
        using var zones = ZoneFolder.Create();
        zones.Write("reload.test.zone", Reloadable);
        await using var resolver = await ResolverUnderTest.StartAsync(zones.Path, Upstream, ("Zones:WatchForChanges", "false"));
        var catalog = resolver.Services.GetRequiredService<ZoneCatalog>();
        Assert.That(await AddressOfHost(resolver), Is.EqualTo("192.0.2.1"));

        zones.Write("reload.test.zone", Reloadable.Replace("192.0.2.1", "192.0.2.2", StringComparison.Ordinal));
        catalog.Reload();
        string afterGoodEdit = await AddressOfHost(resolver);

        zones.Write("reload.test.zone", Reloadable.Replace("192.0.2.1", "192.0.2.999", StringComparison.Ordinal));
        catalog.Reload();
        string afterBrokenEdit = await AddressOfHost(resolver);

        Assert.That(afterGoodEdit, Is.EqualTo("192.0.2.2"), "new data after the reload");
        Assert.That(afterBrokenEdit, Is.EqualTo("192.0.2.2"), "a broken file keeps serving its last good version");
        Assert.That(resolver.Logs.Contains(LogLevel.Error, "reload.test.zone:6"), Is.True, "the broken line is reported:" + Environment.NewLine + resolver.Logs);
    }

    [Test]
    public async Task Edited_zone_file_is_picked_up_by_the_folder_watcher()
    {
        using var zones = ZoneFolder.Create();
        zones.Write("reload.test.zone", Reloadable);
        await using var resolver = await ResolverUnderTest.StartAsync(zones.Path, Upstream,
            ("Zones:WatchForChanges", "true"), ("Zones:ReloadDelay", "00:00:00.100"));
        Assert.That(await AddressOfHost(resolver), Is.EqualTo("192.0.2.1"));

        zones.Write("reload.test.zone", Reloadable.Replace("192.0.2.1", "192.0.2.3", StringComparison.Ordinal));
        string seen = "192.0.2.1";
        await Eventually.TrueWithinAsync(async () => (seen = await AddressOfHost(resolver)) == "192.0.2.3", TimeSpan.FromSeconds(5));

        Assert.That(seen, Is.EqualTo("192.0.2.3"), "the watcher reloaded the edited file within 5 s");
    }

    private static async Task<string> AddressOfHost(ResolverUnderTest resolver)
    {
        var response = await resolver.AskUdpAsync("host.reload.test.", RecordType.A);
        Assert.That(response.Answers, Has.Count.EqualTo(1), RawDns.Describe(response));
        return response.Answers[0].Data.ToText();
    }
}
