using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Resolver.TestKit.Waiting;

namespace Resolver.Server.Tests.Hosting;

/// <summary>
/// The resolver as an operator runs it: its own process (`dotnet resolver.dll`), optionally started through a launcher
/// such as `nice -n 3` or `setpriv` (which exec it, so the PID is the service's), on 127.0.0.1 with a free port, with
/// a zone folder of its own and a dead loopback upstream (it never forwards off the machine). Its console output is
/// kept; it is killed by its PID on dispose. For what only a whole process shows: its threads, its privileges.
/// </summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly string zones;

    private ServiceProcess(Process process, string zones)
    {
        this.process = process;
        this.zones = zones;
    }

    public int Pid => process.Id;

    public IPEndPoint Udp { get; private set; } = null!;

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>Starts it and waits until it logs the address it listens on.</summary>
    /// <param name="launcher">Program and arguments that exec the service (empty: run it directly).</param>
    /// <param name="settings">Environment settings such as ("Resolver__Nice", "7").</param>
    public static async Task<ServiceProcess> StartAsync(string[] launcher, params (string Key, string Value)[] settings)
    {
        string zones = Directory.CreateTempSubdirectory("resolver-service-zones-").FullName;
        File.WriteAllText(Path.Combine(zones, "example.com.zone"), """
            $ORIGIN example.com.
            $TTL 300
            @ IN SOA ns hostmaster 1 3600 600 86400 300
            @ IN NS ns
            @ IN A 192.0.2.80
            ns IN A 192.0.2.53
            """);
        string dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        string[] command = [.. launcher, dotnet, Path.Combine(AppContext.BaseDirectory, "resolver.dll"),
            "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9", "--zones", zones];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key] = value;
        }

        var service = new ServiceProcess(Process.Start(start)!, zones);
        service.process.OutputDataReceived += (_, line) => service.Keep(line.Data);
        service.process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();
        await service.WaitForListeningAsync();
        return service;
    }

    /// <summary>Sends SIGTERM, as systemd and docker stop a service, and waits (at most 15 s) for the exit.</summary>
    public bool Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        return process.WaitForExit(15_000);
    }

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        process.Dispose();
        Directory.Delete(zones, recursive: true);
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private async Task WaitForListeningAsync()
    {
        Match listening = Match.Empty;
        await Eventually.TrueWithinAsync(() => (listening = ListeningLine().Match(Output)).Success || process.HasExited, StartTimeout);
        if (listening.Success)
        {
            Udp = new IPEndPoint(IPAddress.Loopback, int.Parse(listening.Groups[1].Value));
            return;
        }

        Assert.Fail($"the service did not start listening (exited: {process.HasExited}); it wrote:\n{Output}");
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+) over UDP")]
    private static partial Regex ListeningLine();
}
