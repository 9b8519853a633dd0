using Resolver.Protocol;
using Resolver.TestKit.Captures;

namespace Resolver.Integration.Tests.Replay;

/// <summary>One client query of a capture and the answer the captured server gave it.</summary>
public sealed record CapturedExchange(CapturedDnsMessage Query, CapturedDnsMessage Response)
{
    public DnsQuestion Question => DnsMessage.Parse(Query.Payload).Questions[0];

    /// <summary>"udp host.legacy.capture.test. A", how the test cases and the exceptions are named.</summary>
    public string Key => $"{Query.Transport.ToString().ToLowerInvariant()} {Question.Name} {Question.Type.ToText()}";

    public override string ToString() => Key;

    /// <summary>
    /// Pairs each query with its response: same transport, same ID, the response going back to
    /// the port the query came from. Unanswered queries are left out (the shipped capture has none).
    /// </summary>
    public static IReadOnlyList<CapturedExchange> Read(string pcapPath)
    {
        var messages = PcapReader.ReadDnsMessages(pcapPath, dnsPort: null);
        var exchanges = new List<CapturedExchange>();
        var answered = new HashSet<CapturedDnsMessage>();
        foreach (var query in messages)
        {
            if (query.IsResponse)
                continue;
            foreach (var response in messages)
            {
                if (response.IsResponse && !answered.Contains(response) && response.Transport == query.Transport
                    && response.MessageId == query.MessageId && response.Destination.Equals(query.Source)
                    && response.FrameIndex >= query.FrameIndex)
                {
                    answered.Add(response);
                    exchanges.Add(new CapturedExchange(query, response));
                    break;
                }
            }
        }
        return exchanges;
    }
}

internal static class RecordTypeText
{
    public static string ToText(this RecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : "TYPE" + ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
