using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;
using Resolver.Server.QueryLog;
using Resolver.TestKit.Fakes;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// Resolver:QueryLog writes one JSON line per sampled query with where its answer came from; sampling keeps one in
/// N; a writer that cannot keep up drops lines and counts them, and the queries are answered as fast as ever.
/// </summary>
public sealed class QueryLogTests : ResolverFixture
{
    private string _folder = null!;
    private string _log = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("resolver-querylog-").FullName;
        _log = Path.Combine(_folder, "queries.jsonl");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    protected override void AddZones(ZoneFolder zones) => zones.Write("local.test.zone", """
        $ORIGIN local.test.
        $TTL 60
        @ IN SOA ns hostmaster 1 3600 600 86400 60
        @ IN NS ns
        www IN A 192.0.2.10
        """);

    [Test]
    public async Task Each_query_gets_a_line_saying_where_its_answer_came_from()
    {
        Upstream.On("broken.fwd.test.", new NameBehaviour { Rcode = DnsResponseCode.ServFail });
        await using (var resolver = await StartResolverAsync(("QueryLog:Path", _log)))
        {
            await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);                              // upstream
            await resolver.AskUdpAsync("www.fwd.test.", RecordType.A);                              // cache
            await resolver.AskUdpAsync("www.local.test.", RecordType.A);                            // zone
            await resolver.AskUdpAsync(RawDns.Query("broken.fwd.test.", RecordType.A, edns: true)); // SERVFAIL with EDE
            await resolver.AskTcpAsync(RawDns.Query("www.fwd.test.", RecordType.A));                // cache, over TCP
        } // a clean stop writes what was answered

        var lines = (await File.ReadAllLinesAsync(_log)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        string Field(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.ToString() : "-";
        var summary = lines.Select(l => $"{Field(l, "name")} {Field(l, "transport")} {Field(l, "rcode")} {Field(l, "source")} {Field(l, "upstream")}").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(summary, Is.EqualTo(new[]
            {
                $"www.fwd.test. udp NOERROR upstream {Upstream.Address}",
                "www.fwd.test. udp NOERROR cache -",
                "www.local.test. udp NOERROR zone -",
                "broken.fwd.test. udp SERVFAIL upstream -",
                "www.fwd.test. tcp NOERROR cache -",
            }), string.Join("\n", lines));
            Assert.That(lines[3].GetProperty("ede").EnumerateArray().Select(code => code.GetInt32()), Is.Not.Empty, "the SERVFAIL's EDE");
            Assert.That(lines.All(l => l.GetProperty("latency_ms").GetDouble() >= 0), Is.True);
            Assert.That(lines.All(l => DateTimeOffset.Parse(l.GetProperty("time").GetString()!) > DateTimeOffset.UtcNow.AddMinutes(-1)), Is.True);
            Assert.That(lines.All(l => l.GetProperty("client").GetString()!.StartsWith("127.0.0.1:", StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task Stale_answers_are_logged_as_stale_whichever_stage_served_them()
    {
        Upstream.Add("brief 1 IN A 192.0.2.7");
        // Expiry on the host's clock, advanced (ManualClock: the deadline's timers stay real).
        var clock = new ManualClock();
        await using (var resolver = await StartResolverAsync(clock, ("QueryLog:Path", _log), ("Forwarder:OverallDeadline", "00:00:01"), ("Cache:Prefetch", "false")))
        {
            await resolver.AskUdpAsync(RawDns.Query("brief.fwd.test.", RecordType.A, edns: true));
            clock.Advance(TimeSpan.FromSeconds(2));
            Upstream.Silent = true;
            // The forwarder's stale answer after the failed refresh, then the cache's own during the recheck hold.
            await resolver.AskUdpAsync(RawDns.Query("brief.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(4));
            await resolver.AskUdpAsync(RawDns.Query("brief.fwd.test.", RecordType.A, edns: true), TimeSpan.FromSeconds(4));
        }

        var sources = (await File.ReadAllLinesAsync(_log)).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("source").GetString());
        Assert.That(sources, Is.EqualTo(new[] { "upstream", "stale", "stale" }));
    }

    [Test]
    public async Task One_in_n_sampling_logs_every_nth_query()
    {
        await using (var resolver = await StartResolverAsync(("QueryLog:Path", _log), ("QueryLog:SampleOneIn", "3")))
        {
            for (int i = 0; i < 9; i++)
                await resolver.AskUdpAsync("www.local.test.", RecordType.A);
        }

        Assert.That(await File.ReadAllLinesAsync(_log), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task A_writer_that_cannot_keep_up_drops_lines_counts_them_and_slows_no_query()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("a FIFO nobody reads stands for a disk that does not keep up");
        // Opening a FIFO for writing waits for a reader: the writer is stuck, as on a disk that hangs.
        using (var mkfifo = Process.Start("mkfifo", [_log]))
            await mkfifo.WaitForExitAsync();
        var resolver = await StartResolverAsync(("QueryLog:Path", _log), ("QueryLog:QueueCapacity", "4"));
        try
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 20; i++)
            {
                var answer = await resolver.AskUdpAsync("www.local.test.", RecordType.A);
                Assert.That(answer.Answers, Has.Count.EqualTo(1));
            }
            var took = clock.Elapsed;
            var writer = resolver.Services.GetRequiredService<QueryLogWriter>();

            Assert.Multiple(() =>
            {
                Assert.That(writer.Dropped, Is.EqualTo(16), "four queued, the rest dropped and counted");
                Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(5)), "the queries did not wait for the log");
            });
        }
        finally
        {
            // A reader lets the stuck writer open the FIFO, drain and end, so the host can stop.
            var drain = Task.Run(() => File.ReadAllBytes(_log));
            await resolver.DisposeAsync();
            await drain.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
