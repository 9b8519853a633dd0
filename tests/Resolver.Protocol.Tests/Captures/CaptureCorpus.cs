namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// Every DNS message of every shipped capture (tests/captures/*.pcap), read once per test run
/// and shared by the round-trip, truncation and mutation tests.
/// </summary>
public static class CaptureCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusMessage>> All = new(Load);

    /// <summary>The messages in capture-file order, then frame order.</summary>
    public static IReadOnlyList<CorpusMessage> Messages => All.Value;

    /// <summary>The messages of one capture, e.g. "truncation.pcap".</summary>
    public static IReadOnlyList<CorpusMessage> From(string capture)
    {
        var messages = new List<CorpusMessage>();
        foreach (var message in Messages)
        {
            if (message.Capture == capture)
                messages.Add(message);
        }
        return messages;
    }

    private static List<CorpusMessage> Load()
    {
        var files = Directory.GetFiles(PcapReader.CapturesDirectory, "*.pcap");
        Array.Sort(files, StringComparer.Ordinal);
        var messages = new List<CorpusMessage>();
        foreach (var path in files)
        {
            string capture = Path.GetFileName(path);
            foreach (var message in PcapReader.ReadDnsMessages(path, dnsPort: null))
                messages.Add(new CorpusMessage(capture, message));
        }
        if (messages.Count == 0)
            throw new InvalidOperationException($"no DNS messages under {PcapReader.CapturesDirectory}");
        return messages;
    }
}

/// <summary>One captured message and the capture it came from, printed so a failure shows the packet.</summary>
public sealed record CorpusMessage(string Capture, CapturedDnsMessage Captured)
{
    public byte[] Payload => Captured.Payload;

    public override string ToString() => Capture + " " + Captured;
}
