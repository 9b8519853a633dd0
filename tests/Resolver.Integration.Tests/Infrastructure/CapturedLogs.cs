using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every log line of a host, to assert on and to show when a test fails.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public bool Contains(LogLevel atLeast, string text) =>
        Lines.Any(line => line.Level >= atLeast && line.Message.Contains(text, StringComparison.Ordinal));

    public override string ToString() => string.Join(Environment.NewLine, Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(new LogLine(logLevel, category, formatter(state, exception), exception));
    }
}

public sealed record LogLine(LogLevel Level, string Category, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " " + Exception.Message)}";
}
