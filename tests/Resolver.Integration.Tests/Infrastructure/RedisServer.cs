using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// A real redis-server (Debian's, installed by scripts/test-deps/i18.sh) on a free loopback port, without persistence,
/// started and signalled by its PID only: <see cref="Kill"/> (SIGKILL), <see cref="Pause"/> (SIGSTOP, a stall: the
/// socket stays open and nothing answers), <see cref="Resume"/> (SIGCONT), <see cref="RestartAsync"/> on the same port.
/// Also a minimal RESP client (SET, EXISTS, PTTL, FLUSHALL) so tests can write values by hand, poisoned ones included.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _program;
    private Process? _process;

    private RedisServer(string program, int port)
    {
        _program = program;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>Resolver:SharedCache:Redis</c> setting for this server.</summary>
    public string Address => "127.0.0.1:" + Port;

    public static async Task<RedisServer> StartAsync()
    {
        string program = RequiredTool.Find("redis-server", "redis-server");
        var server = new RedisServer(program, FreePorts.Tcp());
        await server.LaunchAsync();
        return server;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(); // SIGKILL: no clean shutdown, connections reset
            process.WaitForExit(5000);
        }
    }

    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>Starts it again on the same port (after <see cref="Kill"/>).</summary>
    public Task RestartAsync() => LaunchAsync();

    /// <summary>SET key value (binary-safe).</summary>
    public async Task SetAsync(string key, byte[] value)
    {
        string reply = await CommandAsync(Encoding.UTF8.GetBytes("SET"), Encoding.UTF8.GetBytes(key), value);
        Assert.That(reply, Is.EqualTo("+OK"), "SET " + key);
    }

    public async Task<bool> ExistsAsync(string key) => await CommandAsync(Encoding.UTF8.GetBytes("EXISTS"), Encoding.UTF8.GetBytes(key)) == ":1";

    /// <summary>The key's remaining life in milliseconds (-1 without expiry, -2 when there is no such key).</summary>
    public async Task<long> PttlAsync(string key) =>
        long.Parse((await CommandAsync(Encoding.UTF8.GetBytes("PTTL"), Encoding.UTF8.GetBytes(key)))[1..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits (bounded, 5 s) for a key the resolver's write-behind loop should write.</summary>
    public async Task<bool> WaitForKeyAsync(string key, TimeSpan? wait = null)
    {
        var until = Stopwatch.GetTimestamp() + (long)((wait ?? TimeSpan.FromSeconds(5)).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (await ExistsAsync(key))
                return true;
            await Task.Delay(20);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Resume(); // a stopped process still dies of SIGKILL, but let it go cleanly if it can
            Kill();
        }
        _process?.Dispose();
        await Task.CompletedTask;
    }

    private async Task LaunchAsync()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo(_program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                if (await CommandAsync(Encoding.UTF8.GetBytes("PING")) == "+PONG")
                    return;
            }
            catch (SocketException)
            {
            }
            if (_process.HasExited)
                break;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING");
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process)
            return;
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5000);
    }

    /// <summary>One RESP command on a fresh connection; the first line of the reply (a bulk reply's body is not read).</summary>
    private async Task<string> CommandAsync(params byte[][] parts)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
        var stream = client.GetStream();
        var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes($"*{parts.Length}\r\n"));
        foreach (var part in parts)
        {
            request.Write(Encoding.ASCII.GetBytes($"${part.Length}\r\n"));
            request.Write(part);
            request.Write("\r\n"u8);
        }
        await stream.WriteAsync(request.ToArray(), timeout.Token);
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, timeout.Token) == 1 && one[0] != '\n')
        {
            if (one[0] != '\r')
                line.Append((char)one[0]);
        }
        return line.ToString();
    }
}
