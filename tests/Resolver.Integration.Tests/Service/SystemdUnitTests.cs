using System.Diagnostics;
using Resolver.Integration.Tests.Infrastructure;

namespace Resolver.Integration.Tests.Service;

/// <summary>
/// The shipped unit (scripts/resolver.service) passes `systemd-analyze verify`, with its paths pointed at this
/// build (the unit names /opt/resolver, which a test machine does not have), and says what the service does:
/// Type=notify (the service sends READY=1, SystemdReadinessTests) and SIGHUP for reload.
/// </summary>
public sealed class SystemdUnitTests
{
    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Shipped_unit_passes_systemd_analyze_verify()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("systemd is Linux's");
        string analyze = RequiredTool.Find("systemd-analyze", "systemd");
        string unitText = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.RepositoryRoot, "scripts", "resolver.service"));
        string folder = Directory.CreateTempSubdirectory("resolver-unit-").FullName;
        try
        {
            // An executable that exists here, in place of the installed one.
            string resolver = Path.Combine(folder, "resolver");
            await File.WriteAllTextAsync(resolver, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(resolver, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string unit = Path.Combine(folder, "resolver.service");
            await File.WriteAllTextAsync(unit, unitText.Replace("/opt/resolver", folder, StringComparison.Ordinal));

            var start = new ProcessStartInfo(analyze) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("verify");
            start.ArgumentList.Add(unit);
            using var process = Process.Start(start)!;
            string errors = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.Zero, errors);
                // Anything verify says about our own unit is a finding (it may also talk about the host's units).
                Assert.That(errors.Split('\n').Where(line => line.Contains("resolver.service", StringComparison.Ordinal)), Is.Empty, errors);
                Assert.That(unitText, Does.Contain("\nType=notify\n"));
                Assert.That(unitText, Does.Contain("\nExecReload=/bin/kill -HUP $MAINPID\n"));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
