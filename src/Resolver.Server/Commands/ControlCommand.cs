using System.Net.Sockets;
using System.Text;
using Resolver.Server.Control;

namespace Resolver.Server.Commands;

/// <summary>
/// <c>resolver control [--socket PATH] COMMAND [ARGS]</c>: sends one command to a running service's control channel
/// and prints its reply. Exit codes: 0 the command was done, 1 the service refused it (the reason is printed),
/// 64 a bad command line, 69 no service answers on the socket.
/// </summary>
public sealed class ControlCommand : ISubcommand
{
    public const int Refused = 1;

    private const string Usage =
        "usage: resolver control [--socket PATH] COMMAND [ARGS]\n  " + ControlCommands.Usage + "\n  --socket PATH   the service's control socket (default " + ControlOptions.DefaultSocket + ")";

    public string Name => "control";

    public string Summary => "control a running service: stats, flush, flush-name, flush-suffix, reload, upstreams, dump-cache";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string socketPath = ControlOptions.DefaultSocket;
        int first = 0;
        if (args.Count >= 1 && args[0] is "--help" or "-h")
        {
            await output.WriteLineAsync(Usage);
            return ExitCodes.Ok;
        }
        if (args.Count >= 2 && args[0] == "--socket")
        {
            socketPath = args[1];
            first = 2;
        }
        if (args.Count <= first || args[first].StartsWith('-'))
        {
            await error.WriteLineAsync("resolver control: no command given\n" + Usage);
            return ExitCodes.Usage;
        }
        string request = string.Join(' ', args.Skip(first));
        if (request.Contains('\n', StringComparison.Ordinal))
        {
            await error.WriteLineAsync("resolver control: a command is one line");
            return ExitCodes.Usage;
        }

        string reply;
        try
        {
            reply = await SendAsync(socketPath, request, cancellationToken);
        }
        catch (SocketException failure)
        {
            await error.WriteLineAsync($"resolver control: no service answers on {socketPath} ({failure.SocketErrorCode}); "
                + "is it running with Resolver:Control:Socket set, and may this user open the socket?");
            return ExitCodes.CannotListen;
        }
        if (reply.StartsWith("ok\n", StringComparison.Ordinal))
        {
            await output.WriteAsync(reply[3..]);
            return ExitCodes.Ok;
        }
        await error.WriteAsync("resolver control: " + (reply.Length > 0 ? reply : "the service closed the connection without a reply\n"));
        return Refused;
    }

    /// <summary>Sends one request line and reads the whole reply (the service closes after it).</summary>
    public static async Task<string> SendAsync(string socketPath, string request, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, timeout.Token);
        var reply = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            reply.Write(buffer, 0, read);
        return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
    }
}
