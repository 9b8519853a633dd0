using System.Globalization;
using System.Net;
using Resolver.Protocol;
using Resolver.Protocol.Text;

using Resolver.Client.Upstreams;

namespace Resolver.Server.Commands;

/// <summary>
/// The command line of <c>resolver query</c>, in dig's own syntax:
/// <c>NAME [TYPE] [CLASS] [@SERVER[:PORT]] [+tcp] [+dnssec] [+norec] [+cd] [+short] [+noedns]</c>.
/// </summary>
public sealed record QueryArguments(DnsName Name, RecordType Type, RecordClass Class, string? Server, int Port,
    bool Tcp, bool Dnssec, bool Recursion, bool CheckingDisabled, bool Short, bool Edns)
{
    public const string Usage =
        "usage: resolver query NAME [TYPE] [CLASS] [@SERVER[:PORT] | @tls://ADDR[:PORT][#NAME] | @https://HOST[:PORT]/PATH] [+tcp] [+dnssec] [+norec] [+cd] [+noedns] [+short] [+tls-ca=FILE]";

    /// <summary>An upstream URI after '@' (tcp://, tls://, https://): the exchange speaks its transport.</summary>
    public UpstreamEndpoint? Upstream { get; init; }

    /// <summary>+tls-ca=FILE: PEM CAs trusted for tls:// and https:// beside the system store.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a message that names the bad one.</summary>
    public static QueryArguments Parse(IReadOnlyList<string> args)
    {
        string? name = null, server = null;
        int port = 53;
        RecordType? type = null;
        RecordClass recordClass = RecordClass.IN;
        bool tcp = false, dnssec = false, recursion = true, cd = false, brief = false, edns = true;
        UpstreamEndpoint? upstream = null;
        string? caFile = null;

        foreach (string arg in args)
        {
            if (arg.StartsWith('@') && arg.Contains("://", StringComparison.Ordinal))
                upstream = UpstreamUri.TryParse(arg[1..], out var parsedUpstream, out string? problem) ? parsedUpstream : throw new FormatException(problem);
            else if (arg.StartsWith('@'))
                (server, port) = ParseServer(arg[1..]);
            else if (arg.StartsWith("+tls-ca=", StringComparison.OrdinalIgnoreCase))
                caFile = arg["+tls-ca=".Length..];
            else if (arg.StartsWith('+'))
            {
                switch (arg.ToLowerInvariant())
                {
                    case "+tcp" or "+vc": tcp = true; break;
                    case "+notcp": tcp = false; break;
                    case "+dnssec": dnssec = true; break;
                    case "+norec" or "+norecurse": recursion = false; break;
                    case "+rec" or "+recurse": recursion = true; break;
                    case "+cd" or "+cdflag": cd = true; break;
                    case "+short": brief = true; break;
                    case "+noedns": edns = false; break;
                    case "+edns": edns = true; break;
                    default: throw new FormatException($"unknown option '{arg}'");
                }
            }
            else if (name is null)
                name = arg;
            else if (type is null && Mnemonics.TryParseType(arg.ToUpperInvariant(), out var parsedType))
                type = parsedType;
            else if (Mnemonics.TryParseClass(arg.ToUpperInvariant(), out var parsedClass))
                recordClass = parsedClass;
            else
                throw new FormatException($"'{arg}' is not a record type or class");
        }
        if (name is null)
            throw new FormatException("no name to query");
        if (!DnsName.TryParse(name.EndsWith('.') ? name : name + ".", out var parsedName))
            throw new FormatException($"'{name}' is not a domain name");
        return new QueryArguments(parsedName, type ?? RecordType.A, recordClass, server, port, tcp, dnssec, recursion, cd, brief, edns || dnssec)
        {
            Upstream = upstream,
            TlsCaFile = caFile,
        };
    }

    private static (string Server, int Port) ParseServer(string text)
    {
        // "@127.0.0.1", "@127.0.0.1:5353", "@::1", "@[::1]:5353"
        if (text.StartsWith('[') && text.IndexOf("]:", StringComparison.Ordinal) is var close and > 0)
            return (text[1..close], ParsePort(text[(close + 2)..]));
        int colon = text.LastIndexOf(':');
        if (colon > 0 && text.IndexOf(':') == colon)
            return (text[..colon], ParsePort(text[(colon + 1)..]));
        return (text.Trim('[', ']'), 53);
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"'{text}' is not a port");

    public IPEndPoint? ServerEndPoint() =>
        Server is not null && IPAddress.TryParse(Server, out var address) ? new IPEndPoint(address, Port) : null;
}
