using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>A logger provider that keeps every record of one host, so a test can read what was logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> _records = new();

    public IReadOnlyList<(EventId EventId, LogLevel Level, string Message)> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._records.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
