using System.Globalization;
using System.Text;
using Resolver.Protocol.Edns;

namespace Resolver.Protocol.Text;

/// <summary>
/// Prints a response the way dig does: the header line, the flags, the OPT pseudo-section,
/// the four sections with records in presentation form. The transport facts (server, query
/// time, size) are passed in, since the codec knows no sockets.
/// </summary>
public static class DigFormatter
{
    public static string Format(DnsMessage message, string server, string transport, TimeSpan queryTime, int size, DateTimeOffset when)
    {
        var text = new StringBuilder();
        text.Append(";; Got answer:\n");
        text.Append(";; ->>HEADER<<- opcode: ").Append(Mnemonics.OpcodeToText(message.Opcode))
            .Append(", status: ").Append(Mnemonics.ResponseCodeToText(message.ResponseCode))
            .Append(", id: ").Append(message.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(";; flags:").Append(Flags(message)).Append("; QUERY: ").Append(message.Questions.Count)
            .Append(", ANSWER: ").Append(message.Answers.Count)
            .Append(", AUTHORITY: ").Append(message.Authorities.Count)
            .Append(", ADDITIONAL: ").Append(message.Additionals.Count + (message.Edns is null ? 0 : 1)).Append('\n');

        if (message.Edns is { } edns)
            AppendOpt(text, edns);
        if (message.Questions.Count > 0)
        {
            text.Append("\n;; QUESTION SECTION:\n");
            foreach (var question in message.Questions)
                text.Append(question).Append('\n');
        }
        AppendSection(text, "ANSWER", message.Answers);
        AppendSection(text, "AUTHORITY", message.Authorities);
        AppendSection(text, "ADDITIONAL", message.Additionals);

        text.Append('\n');
        text.Append(";; Query time: ").Append(((long)queryTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append(" msec\n");
        text.Append(";; SERVER: ").Append(server).Append(" (").Append(transport).Append(")\n");
        text.Append(";; WHEN: ").Append(when.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(";; MSG SIZE  rcvd: ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>Only the RDATA of the answer section, one per line, as <c>dig +short</c> prints it.</summary>
    public static string FormatShort(DnsMessage message)
    {
        var text = new StringBuilder();
        foreach (var record in message.Answers)
            text.Append(record.Data.ToText()).Append('\n');
        return text.ToString();
    }

    private static string Flags(DnsMessage message)
    {
        var flags = new StringBuilder();
        if (message.IsResponse) flags.Append(" qr");
        if (message.AuthoritativeAnswer) flags.Append(" aa");
        if (message.Truncated) flags.Append(" tc");
        if (message.RecursionDesired) flags.Append(" rd");
        if (message.RecursionAvailable) flags.Append(" ra");
        if (message.AuthenticData) flags.Append(" ad");
        if (message.CheckingDisabled) flags.Append(" cd");
        return flags.ToString();
    }

    private static void AppendOpt(StringBuilder text, EdnsRecord edns)
    {
        text.Append("\n;; OPT PSEUDOSECTION:\n; EDNS: version: ").Append(edns.Version)
            .Append(", flags:").Append(edns.DnssecOk ? " do" : "")
            .Append("; udp: ").Append(edns.UdpPayloadSize).Append('\n');
        foreach (var option in edns.Options)
            text.Append("; ").Append(option).Append('\n');
    }

    private static void AppendSection(StringBuilder text, string name, List<DnsRecord> records)
    {
        if (records.Count == 0)
            return;
        text.Append("\n;; ").Append(name).Append(" SECTION:\n");
        foreach (var record in records)
            text.Append(record).Append('\n');
    }
}
