namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>Where the repository's own files are, found from the test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding Resolver.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shipped special-use zones (<c>zones/</c> at the repository root).</summary>
    public static string ShippedZones => Path.Combine(RepositoryRoot, "zones");

    /// <summary>The test zones the project copies next to the tests (<c>tests/zones</c> as <c>testzones/</c>).</summary>
    public static string TestZones => Path.Combine(TestContext.CurrentContext.TestDirectory, "testzones");

    /// <summary>The captures the project copies next to the tests (<c>tests/captures</c> as <c>captures/</c>).</summary>
    public static string Captures => Path.Combine(TestContext.CurrentContext.TestDirectory, "captures");

    // From the test's output folder first; with --artifacts-path that lies outside the checkout,
    // so then from where this source file was compiled.
    private static string FindRoot() =>
        FindAbove(TestContext.CurrentContext.TestDirectory) ?? FindAbove(Path.GetDirectoryName(SourceFile())!)
        ?? throw new InvalidOperationException($"Resolver.sln not found above {TestContext.CurrentContext.TestDirectory} or {SourceFile()}");

    private static string? FindAbove(string start)
    {
        var folder = new DirectoryInfo(start);
        // Bounded: a checkout is never more than a few dozen folders deep.
        for (int depth = 0; folder is not null && depth < 64; depth++, folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Resolver.sln")))
                return folder.FullName;
        }
        return null;
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
