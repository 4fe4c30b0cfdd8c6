using System.Globalization;
using Observability.TestInfrastructure.Otlp;

namespace Observability.Gateway.Benchmarks;

/// <summary>Command-line settings of the submit benchmark.</summary>
internal sealed record BenchmarkOptions(int Seconds, int WarmupSeconds, int Connections, int Threads, string? GatewayPath, TelemetryMode Telemetry)
{
    public const string Usage =
        "usage: Observability.Gateway.Benchmarks [--seconds 20] [--warmup 30] [--connections 32] [--threads 2] [--telemetry " + ServiceTelemetry.ModeNames + "] [--gateway path/to/Observability.Gateway.dll]";

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(20, 30, 32, 2, null, TelemetryMode.NoExport);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Positive(args[i], value) },
                "--warmup" => options with { WarmupSeconds = Positive(args[i], value) },
                "--connections" => options with { Connections = Positive(args[i], value) },
                "--threads" => options with { Threads = Positive(args[i], value) },
                "--gateway" => options with { GatewayPath = value },
                "--telemetry" => options with { Telemetry = ServiceTelemetry.ParseMode(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. {Usage}"),
            };
            i++;
        }

        return options.Threads > options.Connections ? options with { Threads = options.Connections } : options;
    }

    private static int Positive(string name, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number (was '{value}'). {Usage}");
}
