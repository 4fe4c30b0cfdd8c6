using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Logging;

/// <summary>Console logs people and log shippers can both read.</summary>
public static class LoggingExtensions
{
    private const string FormatterNameKey = "Logging:Console:FormatterName";

    /// <summary>
    /// Outside Development, the console writes one masked JSON object per line (formatter
    /// <c>observability-json</c>); in Development, readable single-line text with UTC timestamps, masked the same
    /// way (formatter <c>observability-text</c>). A <c>Logging:Console:FormatterName</c> set in configuration wins
    /// over both (the framework's own <c>simple</c>, <c>json</c> and <c>systemd</c> formatters do not mask).
    /// </summary>
    public static TBuilder AddStructuredLogging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSensitiveDataMasker();
        services.TryAddSingleton(TimeProvider.System);

        builder.Logging.AddConsole();
        builder.Logging.AddConsoleFormatter<JsonConsoleFormatter, JsonConsoleFormatterOptions>();
        builder.Logging.AddConsoleFormatter<TextConsoleFormatter, ConsoleFormatterOptions>();

        var configuration = builder.Configuration;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.Configure<ConsoleLoggerOptions>(options =>
        {
            if (string.IsNullOrEmpty(configuration[FormatterNameKey]))
            {
                options.FormatterName = isDevelopment ? TextConsoleFormatter.FormatterName : JsonConsoleFormatter.FormatterName;
            }
        });

        return builder;
    }
}
