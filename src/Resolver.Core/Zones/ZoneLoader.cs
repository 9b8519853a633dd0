using Microsoft.Extensions.Logging;

namespace Resolver.Core.Zones;

/// <summary>
/// Loads every <c>*.zone</c> file directly in the zones folder at start (files in subfolders are
/// only read through $INCLUDE). Any bad file stops the load with a <see cref="ZoneLoadException"/>
/// naming the file and line, so the server exits with that message instead of serving half a zone.
/// </summary>
public static partial class ZoneLoader
{
    public const string FilePattern = "*.zone";

    /// <param name="directory">The zones folder, as configured (relative paths are taken from the working directory).</param>
    /// <param name="logger">Receives the warnings and the error; may be null.</param>
    public static ZoneSet LoadAll(string directory, ILogger? logger = null)
    {
        try
        {
            var zones = Load(directory, logger);
            if (logger is not null)
                LogLoaded(logger, zones.Zones.Count, directory);
            return zones;
        }
        catch (ZoneLoadException e)
        {
            if (logger is not null)
                LogLoadFailed(logger, e.Message);
            throw;
        }
    }

    private static ZoneSet Load(string directory, ILogger? logger)
    {
        if (!Directory.Exists(directory))
            throw new ZoneLoadException($"{directory}: the zones folder does not exist");
        var files = Directory.GetFiles(directory, FilePattern, SearchOption.TopDirectoryOnly);
        // Ordinal order: the same folder loads the same way on every machine.
        Array.Sort(files, StringComparer.Ordinal);
        var reader = new ZoneFileReader(directory, directory.TrimEnd('/', '\\'));
        var warnings = new List<string>();
        var zones = new List<Zone>(files.Length);
        foreach (var file in files)
        {
            // "*.zone" also matches "x.zone~" on some platforms' pattern rules; take the exact suffix only.
            if (file.EndsWith(".zone", StringComparison.Ordinal))
                zones.Add(reader.Read(file, warnings));
        }
        if (logger is not null)
        {
            foreach (var warning in warnings)
                LogWarning(logger, warning);
        }
        return new ZoneSet(zones, warnings);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} local zones from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone warning: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot load the local zones: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string reason);
}
