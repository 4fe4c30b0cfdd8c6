using System.Globalization;
using Observability.TestInfrastructure.Otlp;
using Observability.TestInfrastructure.Processes;

namespace Observability.Worker.Benchmarks;

/// <summary>The Worker started from its build output, as in production but against the benchmark's servers.</summary>
internal static class WorkerProcess
{
    /// <summary>
    /// Starts the Worker (without waiting: the benchmark's clock starts at its first job); its warnings and errors go to
    /// stderr. <paramref name="telemetry"/> is added to its environment (<see cref="ServiceTelemetry.Environment"/>).
    /// </summary>
    public static ServiceProcess Start(
        string workerDll, string database, string redis, int concurrency, int port, IReadOnlyDictionary<string, string> telemetry)
    {
        var environment = new Dictionary<string, string>(telemetry)
        {
            ["ConnectionStrings__workflows"] = database,
            ["ConnectionStrings__cache"] = redis,
            ["Llm__Simulated__MedianLatency"] = "00:00:00",
            ["Llm__Simulated__P95Latency"] = "00:00:00",
            ["Workflows__Worker__Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Workflows__Worker__ConsumerName"] = "bench-worker",
        };
        return ServiceProcess.Start(
            "worker", workerDll, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), environment, onOutputLine: Forward);
    }

    private static void Forward(string line)
    {
        // Warnings and errors only: the worker logs JSON lines at Information by default; anything else (a crash) is shown.
        if (!line.StartsWith('{') || line.Contains("\"level\":\"Warning\"", StringComparison.Ordinal)
            || line.Contains("\"level\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"level\":\"Critical\"", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"  worker: {line}");
        }
    }
}
