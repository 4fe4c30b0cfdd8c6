using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Health;
using Observability.ServiceDefaults.Logging;
using Observability.ServiceDefaults.Masking;
using Observability.ServiceDefaults.Metrics;
using Observability.ServiceDefaults.Telemetry;

namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>
/// The endpoint whose requests per second are compared with ServiceDefaults on and off. Besides <c>on</c> and
/// <c>off</c>, a comma-separated list of features (<c>masking,logging,telemetry,correlation,prometheus,health</c>)
/// turns on just those, in AddServiceDefaults' order, to see what each one costs.
/// </summary>
internal static class TrivialServer
{
    public static async Task<int> RunAsync(string mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var features = mode switch
        {
            "on" => ["all"],
            "off" => [],
            _ => mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        AddFeatures(builder, features);

        await using var app = builder.Build();
        if (features.Contains("all"))
        {
            app.MapDefaultEndpoints();
        }
        else
        {
            if (features.Contains("health"))
            {
                app.MapHealthEndpoints();
            }

            if (features.Contains("prometheus"))
            {
                app.MapPrometheusMetrics();
            }
        }

        app.MapGet("/api/hello/{name}", (string name) => $"hello {name}");
        await app.RunAsync();
        return 0;
    }

    private static void AddFeatures(WebApplicationBuilder builder, string[] features)
    {
        if (features.Contains("all"))
        {
            builder.AddServiceDefaults();
            return;
        }

        foreach (var feature in features)
        {
            _ = feature switch
            {
                "masking" => builder.AddSensitiveDataMasking(),
                "logging" => builder.AddStructuredLogging(),
                "telemetry" => builder.AddOpenTelemetryDefaults(),
                "correlation" => builder.AddCorrelationIds(),
                "prometheus" => builder.AddPrometheusMetrics(),
                "health" => builder.AddDefaultHealthChecks(),
                _ => throw new ArgumentException($"Unknown feature '{feature}'.", nameof(features)),
            };
        }
    }
}
