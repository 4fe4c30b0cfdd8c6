using System.Security.Cryptography;
using Observability.TestInfrastructure.Otlp;
using Observability.TestInfrastructure.Processes;

namespace Observability.Gateway.Benchmarks;

/// <summary>
/// The Gateway started from its Release build output as its own process, as in production: Production environment,
/// OpenTelemetry as the benchmark's <see cref="TelemetryMode"/> says, the per-client rate limit raised so one load
/// generator is not throttled.
/// </summary>
internal static class GatewayProcess
{
    /// <summary>Starts the Gateway and waits until it answers <c>/ready</c>.</summary>
    /// <param name="dll">The Gateway's Release build output.</param>
    /// <param name="databaseConnectionString">Its PostgreSQL database.</param>
    /// <param name="redisConnectionString">Its Redis.</param>
    /// <param name="telemetry">What its OpenTelemetry does.</param>
    /// <param name="otlp">The receiver to export to over OTLP/HTTP (<see cref="TelemetryMode.Export"/>), otherwise null.</param>
    public static Task<ServiceProcess> StartAsync(
        string dll, string databaseConnectionString, string redisConnectionString, TelemetryMode telemetry, OtlpCaptureReceiver? otlp)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            throw new InvalidOperationException("Unset OTEL_EXPORTER_OTLP_ENDPOINT: the benchmark sets the Gateway's export itself (--telemetry).");
        }

        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__workflows"] = databaseConnectionString,
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["EventTickets__SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Gateway__EventsBaseUrl"] = "http://127.0.0.1:1",
            ["Gateway__RateLimit__TokenLimit"] = "1000000",
            ["Gateway__RateLimit__TokensPerPeriod"] = "1000000",
            ["Gateway__Outbox__StreamMaxLength"] = "100000000",
        };
        foreach (var (key, value) in ServiceTelemetry.Environment(telemetry, otlp, OtlpTransport.HttpProtobuf))
        {
            environment[key] = value;
        }

        return ServiceProcess.StartAsync("the Gateway", dll, ServiceProcess.NewAddress(), environment, "/ready", TimeSpan.FromSeconds(60));
    }

    /// <summary>Finds the Gateway's Release build output next to this program's (artifacts/bin/Gateway/release).</summary>
    public static string Locate(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new FileNotFoundException("No Gateway at --gateway.", configured);
        }

        // artifacts/bin/Gateway.Benchmarks/release/ -> artifacts/bin/Gateway/release/Observability.Gateway.dll
        var ownOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var candidate = Path.Combine(ownOutput.Parent!.Parent!.FullName, "Gateway", ownOutput.Name, "Observability.Gateway.dll");
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException("Build the Gateway first (dotnet build Gateway -c Release) or pass --gateway.", candidate);
    }
}
