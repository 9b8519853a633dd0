using Microsoft.Extensions.Logging;
using Resolver.Core.Zones;
using Resolver.Protocol;

namespace Resolver.Core.Tests.Zones;

public class ZoneLoaderTests
{
    private const string Soa = "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n";
    private const string Ns = "@ IN NS ns1\nns1 IN A 192.0.2.53\n";

    private string _root = "";
    private string _zones = "";

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "zone-loader-" + Guid.NewGuid().ToString("N"));
        _zones = Path.Combine(_root, "zones");
        Directory.CreateDirectory(_zones);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_zones, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Loads the folder expecting exactly one rejected file and nothing served from it; returns its error.</summary>
    private string Rejected()
    {
        var loaded = ZoneLoader.LoadAll(_zones);
        Assert.That(loaded.Rejected, Has.Count.EqualTo(1), string.Join("\n", loaded.Rejected));
        Assert.That(loaded.Rejected[0].Kept, Is.Null);
        Assert.That(loaded.Zones.FindZone(DnsName.Parse("example.test.")), Is.Null, "a rejected file serves nothing");
        return loaded.Rejected[0].Error;
    }

    private string Shown(string file) => Path.Join(_zones, file).Replace('\\', '/');

    [Test]
    public void Zone_name_comes_from_the_file_name_without_origin()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.80\n");
        var zones = ZoneLoader.LoadAll(_zones).Zones;
        var zone = zones.FindZone(DnsName.Parse("www.example.test."));
        Assert.That(zone, Is.Not.Null);
        Assert.That(zone!.Apex, Is.EqualTo(DnsName.Parse("example.test.")));
        Assert.That(zone.FindNode(DnsName.Parse("www.example.test."))!.Find(RecordType.A), Is.Not.Null);
        Assert.That(zones.Warnings, Is.Empty);
    }

    [Test]
    public void Zone_name_comes_from_origin_when_the_file_starts_with_one()
    {
        Write("lab.zone", "$ORIGIN lab.example.\n$TTL 300\n" + Soa + Ns);
        var zones = ZoneLoader.LoadAll(_zones).Zones;
        Assert.That(zones.Zones[0].Apex, Is.EqualTo(DnsName.Parse("lab.example.")));
        Assert.That(zones.FindZone(DnsName.Parse("lab.")), Is.Null);
    }

    [Test]
    public void Only_files_ending_in_dot_zone_are_loaded()
    {
        Write("a.test.zone", "$TTL 300\n" + Soa + Ns);
        Write("README.md", "not a zone");
        Write("b.test.zone.bak", "garbage");
        Assert.That(ZoneLoader.LoadAll(_zones).Zones.Zones, Has.Count.EqualTo(1));
    }

    [Test]
    public void Shipped_zones_folder_loads_and_answers_home_arpa()
    {
        var loaded = ZoneLoader.LoadAll(FindRepositoryZones());
        Assert.That(loaded.Rejected, Is.Empty, string.Join("\n", loaded.Rejected));
        var zones = loaded.Zones;
        Assert.That(zones.Zones.Count, Is.GreaterThan(1));
        Assert.That(zones.Warnings, Is.Empty, string.Join("\n", zones.Warnings));
        var home = zones.FindZone(DnsName.Parse("nas.home.arpa."));
        Assert.That(home?.Apex, Is.EqualTo(DnsName.Parse("home.arpa.")));
        Assert.That(home!.FindNode(DnsName.Parse("files.home.arpa."))!.CnameTarget, Is.EqualTo(DnsName.Parse("nas.home.arpa.")));
        Assert.That(zones.FindZone(DnsName.Parse("foo.localhost.")), Is.Not.Null);
    }

    [Test]
    public void Shipped_home_arpa_is_answered_through_the_stage()
    {
        var stage = new LocalZoneStage(ZoneCatalog.Load(FindRepositoryZones()), new LocalZoneOptions(), new ZoneMetrics());
        var response = StageQuery.Answer(stage, StageQuery.Packet("files.home.arpa.", RecordType.AAAA));
        Assert.That(response.AuthoritativeAnswer, Is.True, StageQuery.Show(response));
        Assert.That(response.Answers, Has.Count.EqualTo(2), StageQuery.Show(response));
        Assert.That(response.Answers[1].Data.ToText(), Is.EqualTo("fd00:1::10"));
        var missing = StageQuery.Answer(stage, StageQuery.Packet("nothing.home.arpa."));
        Assert.That(missing.ResponseCode, Is.EqualTo(DnsResponseCode.NXDomain));
        Assert.That(missing.Authorities[0].Ttl, Is.EqualTo(300), StageQuery.Show(missing));
    }

    [Test]
    public void Missing_soa_fails_naming_the_file()
    {
        Write("example.test.zone", "$TTL 300\n" + Ns);
        Assert.That(Rejected(), Does.StartWith(Shown("example.test.zone") + ": no SOA record at the apex example.test."));
    }

    [Test]
    public void Second_soa_fails_naming_file_and_line()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "\n" + Soa);
        Assert.That(Rejected(), Does.StartWith(Shown("example.test.zone") + ":6: second SOA"));
    }

    [Test]
    public void Cname_beside_other_data_fails_naming_file_and_line()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.1\n; comment\nwww IN CNAME other\n");
        Assert.That(Rejected(), Does.StartWith(Shown("example.test.zone") + ":7: CNAME at www.example.test. beside the A of line 5"));
    }

    [Test]
    public void Out_of_zone_record_fails_naming_file_and_line()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www.example.com. IN A 192.0.2.1\n");
        Assert.That(Rejected(), Does.StartWith(Shown("example.test.zone") + ":5: www.example.com. is outside the zone example.test."));
    }

    [Test]
    public void Syntax_error_fails_naming_file_and_line()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.300\n");
        var error = Rejected();
        Assert.That(error, Does.StartWith(Shown("example.test.zone") + ":5: A:").And.Contain("192.0.2.300"));
        Assert.That(error, Does.Not.Contain("offset").And.Not.Contain(" line "), "one place, in one form: " + error);
    }

    [Test]
    public void Missing_apex_ns_is_only_a_warning()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa);
        var zones = ZoneLoader.LoadAll(_zones).Zones;
        Assert.That(zones.Zones, Has.Count.EqualTo(1));
        Assert.That(zones.Warnings, Has.Count.EqualTo(1));
        Assert.That(zones.Warnings[0], Does.StartWith(Shown("example.test.zone") + ": no NS records at the apex"));
    }

    [Test]
    public void Include_inside_the_folder_is_read_and_its_errors_name_the_included_file()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "$INCLUDE parts/hosts.inc\nlast IN A 192.0.2.9\n");
        Write("parts/hosts.inc", "host1 IN A 192.0.2.1\nhost2 IN A 192.0.2.2\n");
        var zone = ZoneLoader.LoadAll(_zones).Zones.Zones[0];
        Assert.That(zone.FindNode(DnsName.Parse("host2.example.test.")), Is.Not.Null);
        Assert.That(zone.FindNode(DnsName.Parse("last.example.test.")), Is.Not.Null);

        Write("parts/hosts.inc", "host1 IN A 192.0.2.1\n\nhost1 IN CNAME elsewhere.\n");
        Assert.That(Rejected(), Does.StartWith(Shown("parts/hosts.inc") + ":3: CNAME at host1.example.test."));
        Write("parts/hosts.inc", "host1 IN A 192.0.2.1\n");
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "$INCLUDE parts/hosts.inc\nhost1 IN TXT \"x\"\nhost1 IN CNAME x\n");
        Assert.That(Rejected(), Does.StartWith(Shown("example.test.zone") + ":7: CNAME"), "lines after an $INCLUDE are the parent's");
    }

    [TestCase("../secret.zone")]
    [TestCase("../../etc/hosts")]
    [TestCase("/etc/hosts")]
    public void Include_outside_the_zones_folder_is_rejected(string path)
    {
        File.WriteAllText(Path.Combine(_root, "secret.zone"), "secret IN A 192.0.2.66\n");
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "$INCLUDE " + path + "\n");
        var error = Rejected();
        Assert.That(error, Does.StartWith(Shown("example.test.zone") + ":5:"));
        Assert.That(error, Does.Contain("outside the zones folder"));
    }

    [Test]
    public void Include_through_a_link_leading_outside_the_folder_is_rejected()
    {
        File.WriteAllText(Path.Combine(_root, "secret.txt"), "secret IN A 192.0.2.66\n");
        File.CreateSymbolicLink(Path.Combine(_zones, "inside.inc"), Path.Combine(_root, "secret.txt"));
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "$INCLUDE inside.inc\n");
        Assert.That(Rejected(), Does.Contain("outside the zones folder"));
    }

    [Test]
    public void Bad_file_is_rejected_with_file_and_line_logged_at_error_and_the_other_zones_load()
    {
        Write("a.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.1\n");
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.1\n; comment\nwww IN CNAME other\n");
        Write("z.test.zone", "$TTL 300\n" + Soa + Ns);
        var log = new RecordingLogger();
        var loaded = ZoneLoader.LoadAll(_zones, log);

        Assert.That(loaded.Zones.FindZone(DnsName.Parse("www.a.test.")), Is.Not.Null, "the file before the bad one");
        Assert.That(loaded.Zones.FindZone(DnsName.Parse("z.test.")), Is.Not.Null, "the file after the bad one");
        Assert.That(loaded.Zones.FindZone(DnsName.Parse("www.example.test.")), Is.Null);
        Assert.That(loaded.Rejected.Select(r => r.File), Is.EqualTo(new[] { Shown("example.test.zone") }));
        Assert.That(loaded.IsClean, Is.False);
        string expected = Shown("example.test.zone") + ":7: CNAME at www.example.test. beside the A of line 5: "
            + "a CNAME cannot coexist with other data at the same name (RFC 1034 §3.6.2)";
        Assert.That(log.At(LogLevel.Error), Is.EqualTo(new[] { expected }), "the whole log line is file:line: problem");
    }

    [Test]
    public void Same_zone_in_two_files_serves_the_first_in_name_order_and_rejects_the_later()
    {
        Write("example.test.zone", "$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.1\n");
        Write("copy.zone", "$ORIGIN example.test.\n$TTL 300\n" + Soa + Ns + "www IN A 192.0.2.2\n");
        var loaded = ZoneLoader.LoadAll(_zones);
        Assert.That(loaded.Zones.Zones, Has.Count.EqualTo(1));
        Assert.That(loaded.Zones.Zones[0].Source, Is.EqualTo(Shown("copy.zone")), "\"copy.zone\" sorts before \"example.test.zone\"");
        Assert.That(loaded.Rejected, Has.Count.EqualTo(1));
        Assert.That(loaded.Rejected[0].Error, Does.StartWith(Shown("example.test.zone") + ": zone example.test. is already served from " + Shown("copy.zone")));
    }

    [Test]
    public void Missing_folder_serves_nothing_and_says_so_without_throwing()
    {
        var log = new RecordingLogger();
        var loaded = ZoneLoader.LoadAll(Path.Combine(_root, "nope"), log);
        Assert.That(loaded.Zones.IsEmpty, Is.True);
        Assert.That(loaded.Rejected.Single().Error, Does.Contain("nope").And.Contain("does not exist"));
        Assert.That(log.At(LogLevel.Error).Single(), Does.Contain("does not exist"));
    }

    private static string FindRepositoryZones()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        for (int i = 0; i < 12 && folder is not null; i++, folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Resolver.sln")))
                return Path.Combine(folder.FullName, "zones");
        }
        // Built with --artifacts-path outside the repository: use the source tree of this file.
        return Path.GetFullPath(Path.Combine(SourceFolder(), "..", "..", "..", "zones"));
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
