using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Server.Commands;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// `resolver control` against the real host: every command does what it says (seen through the next query's
/// upstream traffic, the zones served, the dump of the cache), a bad or unauthenticated request is refused and
/// changes nothing, and the exit codes are those documented (0 done, 1 refused, 64 usage, 69 no service).
/// </summary>
public sealed class ControlChannelTests : ResolverFixture
{
    private const string Name = "www.fwd.test.";
    private string _folder = null!;
    private string _socket = null!;

    [SetUp]
    public void CreateSocketFolder()
    {
        _folder = Directory.CreateTempSubdirectory("resolver-control-").FullName;
        _socket = Path.Combine(_folder, "control.sock");
    }

    [TearDown]
    public void DeleteSocketFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Flush_name_sends_the_next_query_for_that_name_upstream()
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);
        await resolver.AskUdpAsync(Name, RecordType.A);
        Assert.That(Upstream.QueriesFor(Name), Is.EqualTo(1), "the second was a hit");

        var (code, output, _) = await ControlAsync("flush-name", "www.fwd.test");
        await resolver.AskUdpAsync(Name, RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Is.EqualTo("flushed 1 entries\n"));
            Assert.That(Upstream.QueriesFor(Name), Is.EqualTo(2), "asked upstream again after the flush");
        });
    }

    [Test]
    public async Task Flush_name_with_a_type_leaves_the_other_types_cached()
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);

        var (code, output, _) = await ControlAsync("flush-name", Name, "AAAA");
        await resolver.AskUdpAsync(Name, RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Is.EqualTo("flushed 0 entries\n"));
            Assert.That(Upstream.QueriesFor(Name), Is.EqualTo(1), "the A answer is still cached");
        });
    }

    [TestCase("flush-suffix", "fwd.test")]
    [TestCase("flush", null)]
    public async Task Flush_suffix_and_flush_all_empty_what_they_cover(string command, string? argument)
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);
        await resolver.AskUdpAsync("mail.fwd.test.", RecordType.A);

        var (code, output, _) = argument is null ? await ControlAsync(command) : await ControlAsync(command, argument);
        await resolver.AskUdpAsync(Name, RecordType.A);
        await resolver.AskUdpAsync("mail.fwd.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Does.Match(@"^flushed [2-9]\d* entries\n$"));
            Assert.That(Upstream.QueriesFor(Name) + Upstream.QueriesFor("mail.fwd.test."), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Dump_cache_shows_what_was_just_cached_with_its_remaining_ttl()
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);
        await resolver.AskUdpAsync("nothing-here.fwd.test.", RecordType.A);

        var (code, all, _) = await ControlAsync("dump-cache");
        var (_, elsewhere, _) = await ControlAsync("dump-cache", "other.test");

        var line = all.Split('\n').Single(l => l.StartsWith(Name + " ", StringComparison.Ordinal));
        var fields = line.Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(fields[1..3], Is.EqualTo(new[] { "A", "IN" }));
            Assert.That(int.Parse(fields[3]), Is.InRange(290, 300), "the zone's TTL of 300, a moment later");
            Assert.That(fields[4], Is.EqualTo("answer"));
            Assert.That(all, Does.Contain("nothing-here.fwd.test. A IN"), all);
            Assert.That(all.Split('\n').Single(l => l.StartsWith("nothing-here.", StringComparison.Ordinal)), Does.EndWith("negative"));
            Assert.That(elsewhere, Is.Empty, "nothing cached under other.test.");
        });
    }

    [Test]
    public async Task Stats_shows_the_counters_and_upstreams_shows_each_upstreams_state()
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);
        await resolver.AskUdpAsync(Name, RecordType.A);

        var (statsCode, stats, _) = await ControlAsync("stats");
        var (upstreamsCode, upstreams, _) = await ControlAsync("upstreams");

        Assert.Multiple(() =>
        {
            Assert.That(statsCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(stats.Split('\n'), Does.Contain("resolver.cache.hits 1"), stats);
            Assert.That(stats.Split('\n'), Does.Contain("resolver.cache.misses 1"), stats);
            Assert.That(stats, Does.Match(@"resolver\.cache\.entries [1-9]"), stats);
            Assert.That(upstreamsCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(upstreams, Does.Match($@"^{System.Text.RegularExpressions.Regex.Escape(Upstream.Address)} circuit=Closed srtt=\d+\.\dms rto=\d+ms inflight=0\n$"), upstreams);
        });
    }

    [Test]
    public async Task Reload_serves_a_zone_file_written_since_the_start()
    {
        await using var resolver = await StartAsync(("Zones:WatchForChanges", "false"));
        Zones.Write("late.test.zone", """
            $ORIGIN late.test.
            $TTL 60
            @ IN SOA ns hostmaster 1 3600 600 86400 60
            @ IN NS ns
            www IN A 192.0.2.77
            """);
        var before = await resolver.AskUdpAsync("www.late.test.", RecordType.A);

        var (code, output, _) = await ControlAsync("reload");
        var after = await resolver.AskUdpAsync("www.late.test.", RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(before.Answers, Is.Empty, "not served before the reload");
            Assert.That(code, Is.EqualTo(ExitCodes.Ok));
            Assert.That(output, Does.StartWith("zones reloaded, 0 file(s) rejected"));
            Assert.That(after.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "192.0.2.77" }), RawDns.Describe(after));
            Assert.That(after.AuthoritativeAnswer, Is.True);
        });
    }

    [TestCase("flush-everything", "unknown command 'flush-everything'")]
    [TestCase("flush-name", "wrong arguments for flush-name")]
    [TestCase("flush-name www..fwd.test", "is not a domain name")]
    [TestCase("flush-name www.fwd.test BOGUS", "is not a record type")]
    public async Task Malformed_command_is_refused_with_exit_1_and_changes_nothing(string request, string why)
    {
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);

        var (code, output, error) = await ControlAsync(request.Split(' '));
        await resolver.AskUdpAsync(Name, RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ControlCommand.Refused));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(why));
            Assert.That(Upstream.QueriesFor(Name), Is.EqualTo(1), "the cache kept its entry");
        });
    }

    [Test]
    public async Task Request_longer_than_a_kilobyte_is_refused()
    {
        await using var resolver = await StartAsync();

        string reply = await ControlCommand.SendAsync(_socket, "flush-name " + new string('a', 2000), CancellationToken.None);

        Assert.That(reply, Does.StartWith("error: refused: a request is one line of at most 1024 bytes"));
    }

    [Test]
    public async Task Without_a_service_the_command_exits_69_and_a_bad_command_line_64()
    {
        var (missing, _, why) = await ControlAsync("stats");
        var (usage, _, _) = await ControlAsync();

        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.EqualTo(ExitCodes.CannotListen));
            Assert.That(why, Does.Contain("no service answers on " + _socket));
            Assert.That(usage, Is.EqualTo(ExitCodes.Usage));
        });
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Another_user_is_refused_by_the_socket_mode_and_by_the_peer_check()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
            Assert.Ignore("needs root and setpriv to connect as another user");
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101); // 0755: nobody may reach the socket's folder
        await using var resolver = await StartAsync();
        await resolver.AskUdpAsync(Name, RecordType.A);
        var socketMode = File.GetUnixFileMode(_socket);

        var (modeCode, modeError) = await ControlAsNobodyAsync("flush");
        File.SetUnixFileMode(_socket, (UnixFileMode)0b110_110_110); // 0666: only the peer check is left
        var (peerCode, peerError) = await ControlAsNobodyAsync("flush");
        await resolver.AskUdpAsync(Name, RecordType.A);

        Assert.Multiple(() =>
        {
            Assert.That(socketMode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "created 0600");
            Assert.That(modeCode, Is.EqualTo(ExitCodes.CannotListen), modeError);
            Assert.That(peerCode, Is.EqualTo(ControlCommand.Refused), peerError);
            Assert.That(peerError, Does.Contain("refused: user 65534 is neither the service's"));
            Assert.That(Upstream.QueriesFor(Name), Is.EqualTo(1), "nothing was flushed");
        });
    }

    private Task<ResolverUnderTest> StartAsync(params (string Key, string Value)[] settings) =>
        StartResolverAsync([("Control:Socket", _socket), .. settings]);

    private async Task<(int Code, string Output, string Error)> ControlAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await new ControlCommand().RunAsync(["--socket", _socket, .. args], output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The real CLI (`dotnet resolver.dll control`) run as user nobody.</summary>
    private async Task<(int Code, string Error)> ControlAsNobodyAsync(string command)
    {
        string dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["--reuid", "65534", "--regid", "65534", "--clear-groups", dotnet,
                     Path.Combine(AppContext.BaseDirectory, "resolver.dll"), "control", "--socket", _socket, command])
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_HOME"] = "/tmp";
        start.Environment["HOME"] = "/tmp";
        using var process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }
}
