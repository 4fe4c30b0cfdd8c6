using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Observability.Dashboard.Benchmarks;

/// <summary>
/// End to end: the dashboard as its own process pinned to one core (taskset), fed 1,000-span OTLP/HTTP protobuf
/// batches by this process. Reports spans/s of wall time and spans per CPU-second the server spent (from /proc).
/// </summary>
internal static class HttpIngestBenchmark
{
    public static async Task RunAsync(List<byte[]> payloads, int spansPerBatch)
    {
        var dashboard = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Dashboard", "release", "Observability.Dashboard.dll"));
        var port = FreePort();
        var start = new ProcessStartInfo(File.Exists("/usr/bin/taskset") ? "/usr/bin/taskset" : "dotnet") { RedirectStandardOutput = true };
        if (start.FileName.EndsWith("taskset", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("0");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(dashboard);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Storage__MaxTraces"] = "1000000";
        start.Environment["Dashboard__Storage__MaxSpans"] = "10000000";

        // Persistence on, as by default: every export is also appended to the journal.
        var dataDirectory = Path.Combine(Path.GetTempPath(), "dashboard-bench-" + Guid.NewGuid().ToString("N"));
        start.Environment["Dashboard__Storage__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var server = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitForServerAsync(client);
            var cpuBefore = ServerCpuSeconds(server.Id);
            var stopwatch = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < payloads.Count)
                {
                    using var content = new ByteArrayContent(payloads[index]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    using var response = await client.PostAsync("/v1/traces", content);
                    response.EnsureSuccessStatusCode();
                }
            }));
            var elapsed = stopwatch.Elapsed;
            var cpu = ServerCpuSeconds(server.Id) - cpuBefore;
            var spans = (long)payloads.Count * spansPerBatch;
            Console.WriteLine($"OTLP/HTTP protobuf, server pinned to one core: {spans / elapsed.TotalSeconds:N0} spans/s wall, " +
                $"{spans / cpu:N0} spans per server CPU-second ({payloads.Count} batches of {spansPerBatch})");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static async Task WaitForServerAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/api/resources");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            await Task.Delay(100);
        }
    }

    /// <summary>utime + stime of a process (and its threads) from /proc, in seconds.</summary>
    private static double ServerCpuSeconds(int pid)
    {
        // taskset execs dotnet in place, so the pid is the server's.
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
