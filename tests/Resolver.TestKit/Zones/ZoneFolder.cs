namespace Resolver.TestKit.Zones;

/// <summary>
/// A temporary zones folder (<see cref="Path"/>, inside its own temporary <see cref="Root"/>), deleted on dispose.
/// Files are written whole and then moved in, so a folder watcher never reads half a file.
/// </summary>
public sealed class ZoneFolder : IDisposable
{
    /// <summary>An SOA and NS head for zone text written in a few lines (<see cref="WriteZone"/>).</summary>
    public const string Head = "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n";

    public ZoneFolder()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "resolver-zones-" + Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Root, "zones");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The temporary folder that holds the zones folder (room for files that are not zones).</summary>
    public string Root { get; }

    /// <summary>The zones folder.</summary>
    public string Path { get; }

    public static ZoneFolder Create() => new();

    /// <summary>Writes (or replaces) a file; returns its full path.</summary>
    public string Write(string fileName, string text)
    {
        string file = System.IO.Path.Combine(Path, fileName);
        string temporary = file + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    /// <summary>Writes a zone file: <see cref="Head"/> then <paramref name="body"/>.</summary>
    public string WriteZone(string fileName, string body) => Write(fileName, Head + body);

    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    /// <summary>A file's path as the zone loader's messages show it.</summary>
    public string Shown(string fileName) => System.IO.Path.Join(Path, fileName).Replace('\\', '/');

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
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the temp folder is cleaned by the OS.
        }
    }
}
