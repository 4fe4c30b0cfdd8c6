using System.Diagnostics;

namespace Observability.Worker.Benchmarks;

/// <summary>The Worker started from its build output, as in production but against the benchmark's servers.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string workerDll, string database, string redis, int concurrency, int port)
    {
        var start = new ProcessStartInfo("dotnet", [workerDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Its build output is its content root, as when deployed: its appsettings.json applies.
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(workerDll)),
        };
        var environment = start.Environment;
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        environment["ConnectionStrings__workflows"] = database;
        environment["ConnectionStrings__cache"] = redis;
        environment["Llm__Simulated__MedianLatency"] = "00:00:00";
        environment["Llm__Simulated__P95Latency"] = "00:00:00";
        environment["Workflows__Worker__Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Workflows__Worker__ConsumerName"] = "bench-worker";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static void Forward(string? line)
    {
        // Warnings and errors only: the worker logs at Information by default.
        if (line is not null && (line.Contains("warn", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"  worker: {line}");
        }
    }
}
