using Microsoft.Extensions.Logging;

namespace Resolver.Core.Tests.Zones;

/// <summary>Keeps every log line (level and rendered message) so tests can check what an operator would read.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public string[] At(LogLevel level)
    {
        var found = new List<string>();
        foreach (var (lineLevel, message) in Lines)
        {
            if (lineLevel == level)
                found.Add(message);
        }
        return [.. found];
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
            _lines.Add((logLevel, formatter(state, exception)));
    }
}
