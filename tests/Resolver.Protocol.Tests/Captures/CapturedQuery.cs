namespace Resolver.Protocol.Tests.Captures;

/// <summary>
/// One query that scripts/capture-packets.sh sent on purpose, as listed in the
/// <c>NAME.queries</c> file beside each <c>NAME.pcap</c>: one line of
/// "transport name type client flags...". A client may send more than this
/// (nslookup's search, a TCP retry after TC=1), so counts are lower bounds
/// except where a test knows the client.
/// </summary>
/// <param name="Transport">"udp" or "tcp": how the client was asked to send it.</param>
/// <param name="Name">Query name as typed (case kept).</param>
/// <param name="Type">Query type mnemonic, e.g. "A", "TYPE65400", "AXFR".</param>
/// <param name="Client">"dig", "kdig" or "nslookup".</param>
/// <param name="Flags">The client's options, e.g. "+noedns", "+tcp +dnssec"; may be empty.</param>
public sealed record CapturedQuery(string Transport, string Name, string Type, string Client, string Flags)
{
    /// <summary>The queries listed for a shipped capture, e.g. <c>ForCapture("dig-tcp.pcap")</c>.</summary>
    public static IReadOnlyList<CapturedQuery> ForCapture(string pcapFileName)
    {
        string path = Path.ChangeExtension(PcapReader.CapturePath(pcapFileName), ".queries");
        var queries = new List<CapturedQuery>();
        foreach (string line in File.ReadAllLines(path))
        {
            string[] fields = line.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
            {
                continue;
            }

            queries.Add(new CapturedQuery(fields[0], fields[1], fields[2], fields[3], fields.Length > 4 ? fields[4].Trim() : ""));
        }

        return queries;
    }
}
