using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Core.Cache;
using Resolver.Core.Forwarding;
using Resolver.Core.Zones;
using Resolver.Server.Options;

namespace Resolver.Server.Control;

/// <summary>
/// The control channel: a Unix stream socket at <c>Resolver:Control:Socket</c> (mode 0600 in a folder only we can
/// write), one request per connection. A peer whose user (SO_PEERCRED) is neither the service's nor root is refused
/// before anything is read; a request longer than 1 KiB or slower than 5 s is refused; either way nothing changes.
/// A path that cannot be bound (no such folder, no permission, another live service on it) is logged and the
/// service runs without control: answering queries matters more.
/// </summary>
internal sealed partial class ControlChannelService(
    IOptions<ResolverOptions> options, ResponseCache cache, ZoneCatalog zones, ForwarderStage forwarder, ILogger<ControlChannelService> logger)
    : IHostedService, IDisposable
{
    private const int MaxRequestBytes = 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private CounterTotals? _totals;
    private Task? _acceptLoop;
    private string? _path;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string? path = options.Value.Control.Socket;
        if (string.IsNullOrWhiteSpace(path) || !OperatingSystem.IsLinux())
            return Task.CompletedTask;
        try
        {
            _listener = Bind(path);
        }
        catch (Exception error) when (error is SocketException or IOException or UnauthorizedAccessException)
        {
            LogCannotBind(path, error.Message);
            return Task.CompletedTask;
        }
        _path = path;
        _totals = new CounterTotals();
        var commands = new ControlCommands(cache, zones, forwarder, _totals, TimeProvider.System);
        _acceptLoop = AcceptAsync(_listener, commands, _stopping.Token);
        LogListening(path);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        if (_path is not null)
            File.Delete(_path);
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _totals?.Dispose();
        _stopping.Dispose();
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static Socket Bind(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(path))
        {
            // A socket left by a process that died keeps the path; one that a live service still answers is its own.
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException("another service answers on it");
            }
            catch (SocketException)
            {
                File.Delete(path);
            }
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private async Task AcceptAsync(Socket listener, ControlCommands commands, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            // One at a time: commands are rare, and a flush or dump should not run beside another.
            await ServeAsync(connection, commands, stopping).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(Socket connection, ControlCommands commands, CancellationToken stopping)
    {
        using (connection)
        {
            string reply;
            uint? peer = PeerCredentials.UserOf(connection);
            uint self = PeerCredentials.EffectiveUser();
            if (peer is not { } user || (user != self && user != 0))
            {
                LogRefusedPeer(peer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
                reply = $"error: refused: user {peer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} is neither the service's ({self}) nor root\n";
            }
            else
            {
                string? request = await ReadRequestAsync(connection, stopping).ConfigureAwait(false);
                reply = request is null
                    ? $"error: refused: a request is one line of at most {MaxRequestBytes} bytes, sent within {RequestTimeout.TotalSeconds:0} s\n"
                    : commands.Execute(request);
                if (request is not null)
                    LogCommand(request.Length > 80 ? request[..80] : request, reply.StartsWith("ok", StringComparison.Ordinal) ? "ok" : "refused");
            }
            try
            {
                await connection.SendAsync(Encoding.UTF8.GetBytes(reply), SocketFlags.None, stopping).ConfigureAwait(false);
                connection.Shutdown(SocketShutdown.Send);
                // Closing with unread input would reset the connection, and the client would lose the reply (a refused
                // peer's request was never read, an over-long one only in part): read the rest, briefly, first.
                await DrainAsync(connection, stopping).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or OperationCanceledException)
            {
                // The client went away first.
            }
        }
    }

    private static async Task DrainAsync(Socket connection, CancellationToken stopping)
    {
        var discard = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        for (int total = 0; total < 64 * 1024;)
        {
            int read = await connection.ReceiveAsync(discard, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (read == 0)
                return;
            total += read;
        }
    }

    /// <summary>One line (up to '\n' or the end of what the client sends), or null when too long, too slow or not text.</summary>
    private static async Task<string?> ReadRequestAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[MaxRequestBytes + 1];
        int length = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            while (length < buffer.Length)
            {
                int read = await connection.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                    break;
                int newline = Array.IndexOf(buffer, (byte)'\n', length, read);
                length += read;
                if (newline >= 0)
                {
                    length = newline;
                    break;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
            return null;
        }
        if (length > MaxRequestBytes)
            return null;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length).TrimEnd('\r');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        return text.Any(char.IsControl) ? null : text;
    }

    [LoggerMessage(1, LogLevel.Information, "Control channel on {Path} (mode 0600; `resolver control --socket {Path} stats`)")]
    private partial void LogListening(string path);

    [LoggerMessage(2, LogLevel.Warning, "No control channel: {Path} cannot be bound ({Reason}); queries are served as usual")]
    private partial void LogCannotBind(string path, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Control channel: refused a connection from user {User} (neither the service's user nor root)")]
    private partial void LogRefusedPeer(string user);

    [LoggerMessage(4, LogLevel.Information, "Control command '{Request}' ({Outcome})")]
    private partial void LogCommand(string request, string outcome);
}
