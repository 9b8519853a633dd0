using System.Diagnostics;
using System.Net;
using Resolver.Client;
using Resolver.NameService;
using Resolver.Protocol.Text;

using Resolver.Client.Upstreams;

namespace Resolver.Server.Commands;

/// <summary>
/// <c>resolver query</c>: one question to one server through the shared codec and client,
/// printed the way dig prints it. Exit codes follow dig: 0 answered (whatever the RCODE),
/// 1 usage error, 9 no reply.
/// </summary>
public sealed class QueryCommand(string resolvConfPath = "/etc/resolv.conf") : ISubcommand
{
    public const int NoReply = 9;

    public string Name => "query";

    public string Summary => "ask a DNS server one question and print the answer like dig";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        QueryArguments query;
        try
        {
            query = QueryArguments.Parse(args);
        }
        catch (FormatException e)
        {
            error.WriteLine($"resolver query: {e.Message}");
            error.WriteLine(QueryArguments.Usage);
            return ExitCodes.DigUsage;
        }

        if (query.Upstream is not null)
        {
            return await AskUpstreamAsync(query, output, error, cancellationToken).ConfigureAwait(false);
        }

        var server = query.Server is null ? ResolvConf.Load(resolvConfPath).Nameservers[0] : query.ServerEndPoint();
        if (server is null)
        {
            error.WriteLine($"resolver query: '{query.Server}' is not an IP address");
            return ExitCodes.DigUsage;
        }

        var question = new UpstreamQuery(query.Name, query.Type, query.Class)
        {
            RecursionDesired = query.Recursion,
            CheckingDisabled = query.CheckingDisabled,
            DnssecOk = query.Dnssec,
            UseEdns = query.Edns,
            ForceTcp = query.Tcp,
        };
        using var exchange = new DnsExchange();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await exchange.ExchangeAsync(server, question, new ExchangeOptions { UdpReceiveTimeout = TimeSpan.FromSeconds(5) }, cancellationToken).ConfigureAwait(false);
            if (query.Short)
                output.Write(DigFormatter.FormatShort(result.Response));
            else
                output.Write(DigFormatter.Format(result.Response, Describe(server), result.UsedTcp ? "TCP" : "UDP",
                    Stopwatch.GetElapsedTime(started), result.ResponseSize, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        }
        catch (UpstreamException e)
        {
            output.WriteLine($";; communications error to {Describe(server)}: {e.Message}");
            output.WriteLine(";; no servers could be reached");
            return NoReply;
        }
    }

    /// <summary>@tcp://, @tls://, @https://: one exchange over that transport, with the same certificate rules as the forwarder.</summary>
    private static async Task<int> AskUpstreamAsync(QueryArguments query, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        TlsTrust trust;
        try
        {
            trust = query.TlsCaFile is null ? TlsTrust.SystemOnly : TlsTrust.FromPemFile(query.TlsCaFile);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"resolver query: {e.Message}");
            return ExitCodes.DigUsage;
        }

        var upstream = query.Upstream!;
        var question = new UpstreamQuery(query.Name, query.Type, query.Class)
        {
            RecursionDesired = query.Recursion,
            CheckingDisabled = query.CheckingDisabled,
            DnssecOk = query.Dnssec,
            UseEdns = query.Edns,
        };
        using var exchange = new DnsExchange(connectionReuse: new ConnectionReuse { Trust = trust });
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await exchange.ExchangeAsync(upstream, question, new ExchangeOptions(), cancellationToken).ConfigureAwait(false);
            if (query.Short)
                output.Write(DigFormatter.FormatShort(result.Response));
            else
                output.Write(DigFormatter.Format(result.Response, upstream.Text, upstream.Transport.ToString().ToUpperInvariant(),
                    Stopwatch.GetElapsedTime(started), result.ResponseSize, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        }
        catch (UpstreamException e)
        {
            output.WriteLine($";; communications error to {upstream}: {e.Message}");
            output.WriteLine(";; no servers could be reached");
            return NoReply;
        }
    }

    private static string Describe(IPEndPoint server) => $"{server.Address}#{server.Port}({server.Address})";
}
