using System.Globalization;
using System.Text;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Zones;
using Resolver.Protocol;

namespace Resolver.Server.Control;

/// <summary>
/// What each control command does, modelled on unbound-control. A request is one line, "COMMAND [ARGS]"; the reply
/// starts with "ok" or "error: WHY", then the command's lines. A bad request changes nothing.
/// </summary>
internal sealed class ControlCommands(ResponseCache cache, ZoneCatalog zones, ForwarderStage forwarder, CounterTotals totals, TimeProvider time)
{
    public const string Usage =
        "commands: stats | flush | flush-name NAME [TYPE] | flush-suffix SUFFIX | reload | upstreams | dump-cache [SUFFIX]";

    public string Execute(string request)
    {
        string[] words = request.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
            return Error("empty request; " + Usage);
        string[] args = words[1..];
        return words[0] switch
        {
            "stats" when args.Length == 0 => Ok(totals.Snapshot()),
            "flush" when args.Length == 0 => Ok($"flushed {cache.FlushAll()} entries"),
            "flush-name" when args.Length is 1 or 2 => FlushName(args),
            "flush-suffix" when args.Length == 1 => WithName(args[0], name => Ok($"flushed {cache.FlushSuffix(name)} entries")),
            "reload" when args.Length == 0 => Reload(),
            "upstreams" when args.Length == 0 => Ok(Upstreams()),
            "dump-cache" when args.Length <= 1 => args.Length == 0 ? Ok(DumpCache(null)) : WithName(args[0], name => Ok(DumpCache(name))),
            "stats" or "flush" or "flush-name" or "flush-suffix" or "reload" or "upstreams" or "dump-cache" =>
                Error($"wrong arguments for {words[0]}; {Usage}"),
            _ => Error($"unknown command '{words[0]}'; {Usage}"),
        };
    }

    private string FlushName(string[] args) => WithName(args[0], name =>
    {
        if (args.Length == 1)
            return Ok($"flushed {cache.FlushName(name)} entries");
        if (!Enum.TryParse(args[1], ignoreCase: true, out RecordType type) || !Enum.IsDefined(type))
            return Error($"'{args[1]}' is not a record type (A, AAAA, MX, ...)");
        return Ok($"flushed {cache.FlushName(name, type)} entries");
    });

    private string Reload()
    {
        var result = zones.Reload();
        var lines = new List<string> { $"zones reloaded, {result.Rejected.Count} file(s) rejected" };
        lines.AddRange(result.Rejected.Select(rejected => $"rejected {rejected.File}: {rejected.Error}"));
        return Ok(lines);
    }

    private List<string> Upstreams() =>
        forwarder.Upstreams.All.Select(upstream => string.Create(CultureInfo.InvariantCulture,
            $"{upstream.Name} circuit={upstream.Circuit} srtt={(upstream.SmoothedRttMs is { } srtt ? $"{srtt:0.0}ms" : "unknown")} rto={upstream.AttemptTimeout.TotalMilliseconds:0}ms inflight={upstream.InFlight}"))
        .ToList();

    /// <summary>"NAME TYPE CLASS TTL KIND" per entry (TTL: seconds of freshness left, negative once stale), sorted.</summary>
    private List<string> DumpCache(DnsName? suffix)
    {
        var now = time.GetUtcNow();
        var lines = new List<string>();
        foreach (var entry in cache.Export())
        {
            var name = DnsName.FromWire(entry.Key.Name);
            if (suffix is not null && !name.IsSubdomainOf(suffix))
                continue;
            long left = (long)Math.Floor((entry.FreshUntil - now).TotalSeconds);
            var flags = new StringBuilder();
            if (entry.Key.DnssecOk)
                flags.Append(" do");
            if (entry.Key.CheckingDisabled)
                flags.Append(" cd");
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {entry.Key.Type} {entry.Key.Class} {left} {entry.Kind.ToString().ToLowerInvariant()}{flags}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string WithName(string text, Func<DnsName, string> action) =>
        DnsName.TryParse(text.EndsWith('.') ? text : text + ".", out var name)
            ? action(name)
            : Error($"'{text}' is not a domain name");

    private static string Ok(string line) => "ok\n" + line + "\n";

    private static string Ok(IEnumerable<string> lines)
    {
        var text = new StringBuilder("ok\n");
        foreach (string line in lines)
            text.Append(line).Append('\n');
        return text.ToString();
    }

    private static string Error(string why) => "error: " + why + "\n";
}
