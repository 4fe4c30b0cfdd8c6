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
    private const string FormatterOptionsKey = "Logging:Console:FormatterOptions";

    /// <summary>
    /// Outside Development, the console writes one masked JSON object per line (formatter
    /// <c>observability-json</c>); in Development, readable single-line text with UTC timestamps (the built-in
    /// <c>simple</c> formatter). A <c>Logging:Console:FormatterName</c> set in configuration wins over both.
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

        var configuration = builder.Configuration;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.Configure<ConsoleLoggerOptions>(options =>
        {
            if (string.IsNullOrEmpty(configuration[FormatterNameKey]))
            {
                options.FormatterName = isDevelopment ? ConsoleFormatterNames.Simple : JsonConsoleFormatter.FormatterName;
            }
        });

        services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            // Readable defaults for Development unless the user configured the simple formatter.
            if (!configuration.GetSection(FormatterOptionsKey).GetChildren().Any())
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            }
        });

        return builder;
    }
}
