using Resolver.Core.Pipeline;
using Resolver.Core.Zones;
using Resolver.Protocol;

namespace Resolver.Core.Tests.Zones;

/// <summary>Queries through a local-zone stage over a catalog, answered as "TYPE data" lines.</summary>
internal static class ZoneStageAnswers
{
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
}
