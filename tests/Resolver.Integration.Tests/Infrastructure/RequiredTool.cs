namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// A real program a test needs (systemd-analyze, promtool, redis-server ...), found on PATH. scripts/test.sh installs
/// them (scripts/test-deps) and sets RESOLVER_REQUIRE_TOOLS=1, so there a missing one fails the test; a developer's
/// bare `dotnet test` ignores the test instead, with the reason.
/// </summary>
public static class RequiredTool
{
    public static string Find(string program, string package)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, program);
            if (folder.Length > 0 && File.Exists(candidate))
                return candidate;
        }
        string reason = $"{program} is not installed (Debian package {package}; scripts/test.sh installs it)";
        if (Environment.GetEnvironmentVariable("RESOLVER_REQUIRE_TOOLS") == "1")
            Assert.Fail(reason);
        Assert.Ignore(reason);
        return "";
    }
}
