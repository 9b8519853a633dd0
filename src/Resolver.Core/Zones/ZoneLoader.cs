using Microsoft.Extensions.Logging;

namespace Resolver.Core.Zones;

/// <summary>
/// Loads every <c>*.zone</c> file directly in the zones folder (files in subfolders are only read
/// through $INCLUDE). Each file loads or is rejected on its own: a bad file is logged at Error as
/// "file:line: problem" and left out, and the other zones are served. On a reload (given the
/// previous result) a file that no longer loads keeps serving its last good version.
/// </summary>
public static partial class ZoneLoader
{
    public const string FilePattern = "*.zone";

    /// <summary>Loads the folder at start. Never throws for a bad file or a missing folder: see <see cref="ZoneLoadResult.Rejected"/>.</summary>
    /// <param name="directory">The zones folder, as configured (relative paths are taken from the working directory).</param>
    /// <param name="logger">Receives rejections (Error), warnings and a summary; may be null.</param>
    public static ZoneLoadResult LoadAll(string directory, ILogger? logger = null) => Load(directory, previous: null, logger);

    /// <summary>
    /// Loads the folder again. Files that fail keep their version from <paramref name="previous"/>;
    /// new files add zones; files no longer in the folder drop theirs.
    /// </summary>
    internal static ZoneLoadResult Load(string directory, ZoneLoadResult? previous, ILogger? logger)
    {
        string display = Path.TrimEndingDirectorySeparator(directory);
        string[] files;
        try
        {
            files = ListZoneFiles(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No folder (or no access to it): nothing new to read. Serving the previous zones is
            // better than serving none because a mount went away for a moment.
            var kept = previous ?? ZoneLoadResult.Empty;
            var problem = Directory.Exists(directory) ? $"cannot list the zones folder: {e.Message}" : "the zones folder does not exist";
            var result = new ZoneLoadResult(kept.Zones, kept.ByFile, [new ZoneFileRejection(display, ZoneLoadException.Locate(display, 0, problem), null)]);
            Log(logger, result, display);
            return result;
        }

        var reader = new ZoneFileReader(directory, display);
        var outcomes = new List<ZoneFileOutcome>(files.Length);
        foreach (var file in files)
            outcomes.Add(ReadOne(reader, file));
        var loaded = ZoneClaims.Resolve(outcomes, previous?.ByFile);
        Log(logger, loaded, display);
        return loaded;
    }

    private static string[] ListZoneFiles(string directory)
    {
        var found = Directory.GetFiles(directory, FilePattern, SearchOption.TopDirectoryOnly);
        var files = new List<string>(found.Length);
        foreach (var file in found)
        {
            // "*.zone" also matches "x.zone~" on some platforms' pattern rules; take the exact suffix only.
            if (file.EndsWith(".zone", StringComparison.Ordinal))
                files.Add(file);
        }
        // Ordinal order: the same folder loads the same way on every machine.
        files.Sort(StringComparer.Ordinal);
        return [.. files];
    }

    private static ZoneFileOutcome ReadOne(ZoneFileReader reader, string path)
    {
        string name = Path.GetFileName(path);
        string shown = reader.Shown(path);
        var warnings = new List<string>();
        try
        {
            return new ZoneFileOutcome(name, shown, reader.Read(path, warnings), null, warnings);
        }
        catch (ZoneLoadException e)
        {
            return new ZoneFileOutcome(name, shown, null, e.Message, []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong with this file (a bug included), it must not stop the other zones.
            return new ZoneFileOutcome(name, shown, null, ZoneLoadException.Locate(shown, 0, $"cannot load: {e.Message}"), []);
        }
    }

    private static void Log(ILogger? logger, ZoneLoadResult result, string directory)
    {
        if (logger is null)
            return;
        foreach (var rejection in result.Rejected)
        {
            LogRejected(logger, rejection.Error);
            if (rejection.Kept is { } kept)
                LogKept(logger, rejection.File, kept.Apex.ToString());
        }
        foreach (var warning in result.Zones.Warnings)
            LogWarning(logger, warning);
        LogLoaded(logger, result.Zones.Zones.Count, directory, result.Rejected.Count);
    }

    // The message is exactly "file:line: problem", as compilers write it, so editors and greps find the line.
    [LoggerMessage(Level = LogLevel.Error, Message = "{ZoneError}")]
    private static partial void LogRejected(ILogger logger, string zoneError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}: still serving the previous version of zone {Apex} until the file loads again")]
    private static partial void LogKept(ILogger logger, string file, string apex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone warning: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Count} local zones from {Directory}; {Rejected} files rejected")]
    private static partial void LogLoaded(ILogger logger, int count, string directory, int rejected);
}
