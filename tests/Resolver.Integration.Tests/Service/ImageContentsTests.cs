using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Resolver.Integration.Tests.Infrastructure;
using Resolver.Protocol;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// What the Docker image holds, proven where Docker cannot run: the restore and publish commands are taken from the
/// Dockerfile itself and run here, and the result is started as the image starts it (its ENTRYPOINT, its ENV, as
/// the non-root user ID the .NET images' "app" user has), then asked a question from the shipped zones.
/// </summary>
[NonParallelizable]
public sealed partial class ImageContentsTests
{
    /// <summary>APP_UID of the mcr.microsoft.com/dotnet 8+ images (the user "app").</summary>
    private const int ImageUser = 1654;

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_dockerfiles_publish_output_serves_the_shipped_zones_as_the_image_user()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
            Assert.Ignore("needs root and setpriv to run the published service as the image's user");
        string root = RepositoryPaths.RepositoryRoot;
        string dockerfile = await File.ReadAllTextAsync(Path.Combine(root, "Dockerfile"));
        string[] runs = RunLine().Matches(dockerfile).Select(match => match.Groups[1].Value.Trim()).ToArray();
        string restore = runs.Single(run => run.StartsWith("dotnet restore ", StringComparison.Ordinal));
        string publish = runs.Single(run => run.StartsWith("dotnet publish ", StringComparison.Ordinal));
        string entrypoint = EntryPoint().Match(dockerfile).Groups[1].Value;
        var environment = EnvLine().Matches(dockerfile).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value);
        Assert.That(publish, Does.Contain("-o /app"), "the image copies /app");
        Assert.That(entrypoint, Does.StartWith("/app/"));

        string folder = Directory.CreateTempSubdirectory("resolver-image-").FullName;
        try
        {
            string app = Path.Combine(folder, "app");
            // Intermediate files apart from the checkout's, so the tests' own build is not touched.
            string artifacts = $" --artifacts-path {Path.Combine(folder, "artifacts")}";
            await RunAsync(root, restore + artifacts);
            await RunAsync(root, publish.Replace("-o /app", "-o " + app, StringComparison.Ordinal) + artifacts);
            foreach (string path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Append(folder))
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.GroupRead
                    | (Directory.Exists(path) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));

            string executable = Path.Combine(app, entrypoint["/app/".Length..]);
            Assert.Multiple(() =>
            {
                Assert.That(File.Exists(executable), Is.True, executable);
                Assert.That(File.Exists(Path.Combine(app, "appsettings.json")), Is.True);
                Assert.That(Directory.GetFiles(Path.Combine(app, "zones"), "*.zone"), Is.Not.Empty);
            });

            var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = app };
            foreach (string argument in (string[])["--reuid", $"{ImageUser}", "--regid", $"{ImageUser}", "--clear-groups", executable,
                         "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9"])
                start.ArgumentList.Add(argument);
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
            start.Environment["Logging__Console__FormatterName"] = "simple";
            using var service = Process.Start(start)!;
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            service.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
            service.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
            service.BeginOutputReadLine();
            service.BeginErrorReadLine();
            try
            {
                int port = await WaitForPortAsync(output, service);
                var answer = await RawDns.AskUdpAsync(new IPEndPoint(IPAddress.Loopback, port), RawDns.Query("localhost.", RecordType.A));

                Assert.That(answer.Answers.Select(r => r.Data.ToText()), Is.EqualTo(new[] { "127.0.0.1" }), RawDns.Describe(answer));
                Assert.That(ProcessUser(service.Id), Is.EqualTo(ImageUser), "runs as the image's user");
            }
            finally
            {
                service.Kill();
                await service.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string folder, string commandLine)
    {
        string[] words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(words[0]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string word in words[1..])
            start.ArgumentList.Add(word);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{commandLine}\n{await stdout}\n{stderr}");
    }

    private static async Task<int> WaitForPortAsync(System.Collections.Concurrent.ConcurrentQueue<string> output, Process service)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30) && !service.HasExited)
        {
            var match = output.Select(line => Listening().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(50);
        }
        Assert.Fail("the published service did not start listening:\n" + string.Join('\n', output));
        return 0;
    }

    /// <summary>The real user ID of a process (/proc/PID/status, "Uid:" line, first field).</summary>
    private static int ProcessUser(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^RUN (.+)$", RegexOptions.Multiline)]
    private static partial Regex RunLine();

    [GeneratedRegex(@"^ENTRYPOINT \[""([^""]+)""\]", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    [GeneratedRegex(@"^ENV (\w+)=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+) over UDP")]
    private static partial Regex Listening();
}
