namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>A temporary zones folder for one fixture, deleted on dispose.</summary>
public sealed class ZoneFolder : IDisposable
{
    private ZoneFolder(string path) => Path = path;

    public string Path { get; }

    public static ZoneFolder Create()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "resolver-int-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new ZoneFolder(path);
    }

    /// <summary>Writes (or replaces) a zone file; returns its full path.</summary>
    public string Write(string fileName, string text)
    {
        string file = System.IO.Path.Combine(Path, fileName);
        // Write then move, so a watcher never reads half a file.
        string temporary = file + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    /// <summary>Copies every *.zone file of <paramref name="source"/> in.</summary>
    public ZoneFolder CopyFrom(string source)
    {
        foreach (string file in Directory.GetFiles(source, "*.zone"))
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)), overwrite: true);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the temp folder is cleaned by the OS.
        }
    }
}
