using System.Globalization;

namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// A parsed message as lines of text (header fields, questions with their case, every record
/// as dig prints it, EDNS fields and options), so two parses compare field by field and a
/// difference shows which line moved.
/// </summary>
public static class CapturedMessageText
{
    public static List<string> Describe(DnsMessage message)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"id={message.Id} qr={message.IsResponse} opcode={message.Opcode} aa={message.AuthoritativeAnswer} tc={message.Truncated} rd={message.RecursionDesired} ra={message.RecursionAvailable} z={message.Z} ad={message.AuthenticData} cd={message.CheckingDisabled} rcode={message.ResponseCode}"),
        };
        foreach (var question in message.Questions)
            lines.Add("question " + question);
        AddSection(lines, "answer", message.Answers);
        AddSection(lines, "authority", message.Authorities);
        AddSection(lines, "additional", message.Additionals);
        if (message.Edns is { } edns)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"edns udp={edns.UdpPayloadSize} version={edns.Version} do={edns.DnssecOk} flags={edns.OtherFlags}"));
            foreach (var option in edns.Options)
                lines.Add("option " + option);
        }
        return lines;
    }

    private static void AddSection(List<string> lines, string section, List<DnsRecord> records)
    {
        foreach (var record in records)
            lines.Add(section + " " + record);
    }
}
