using Resolver.Core.Pipeline;
using Resolver.Core.Zones;
using Resolver.Protocol;

namespace Resolver.Core.Tests.Zones;

/// <summary>A temporary zones folder, with zone text written in a few lines and queries through a stage over a catalog.</summary>
internal sealed class ZoneFolder : IDisposable
{
    public const string Head = "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n";

    public ZoneFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "zone-folder-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, "zones");
        Directory.CreateDirectory(Folder);
    }

    public string Root { get; }

    /// <summary>The zones folder.</summary>
    public string Folder { get; }

    /// <summary>Writes a zone file: the SOA/NS head then <paramref name="body"/>.</summary>
    public void WriteZone(string file, string body) => Write(file, Head + body);

    public void Write(string file, string text) => File.WriteAllText(Path.Combine(Folder, file), text);

    public void Delete(string file) => File.Delete(Path.Combine(Folder, file));

    public string Shown(string file) => Path.Join(Folder, file).Replace('\\', '/');

    public static LocalZoneStage Stage(ZoneCatalog catalog) => new(catalog, new LocalZoneOptions(), new ZoneMetrics());

    /// <summary>The answer's data as "TYPE data" lines, or "pass" when the stage left the name to the next stage.</summary>
    public static string[] Ask(LocalZoneStage stage, string name, RecordType type = RecordType.A)
    {
        var buffer = new byte[4096];
        return Ask(stage, StageQuery.Packet(name, type), buffer);
    }

    public static string[] Ask(LocalZoneStage stage, byte[] packet, byte[] buffer)
    {
        var pending = stage.AnswerAsync(StageQuery.Request(packet), buffer, CancellationToken.None);
        int length = pending.Result;
        if (length == StageResult.Pass)
            return ["pass"];
        var response = DnsMessage.Parse(buffer.AsSpan(0, length));
        var data = new string[response.Answers.Count + (response.ResponseCode == DnsResponseCode.NoError ? 0 : 1)];
        for (int i = 0; i < response.Answers.Count; i++)
            data[i] = response.Answers[i].Type + " " + response.Answers[i].Data.ToText();
        if (response.ResponseCode != DnsResponseCode.NoError)
            data[^1] = response.ResponseCode.ToString();
        return data;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
