using System.Diagnostics;
using System.Globalization;
using Observability.TestInfrastructure.Processes;

namespace Observability.Gateway.Benchmarks;

/// <summary>Runs <c>wrk</c> with <c>submit.lua</c> (a new workflow per request) against the Gateway.</summary>
internal static class WrkLoad
{
    public static async Task<WrkResult> RunAsync(Uri gateway, BenchmarkOptions options, int seconds, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "submit.lua");
        var startInfo = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "-t", options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{seconds.ToString(CultureInfo.InvariantCulture)}s",
            "--timeout", "10s",
            "--latency",
            "-s", script,
            new Uri(gateway, "/api/workflows").AbsoluteUri])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var childrenCpu = ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("wrk did not start (install the Debian package 'wrk').");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(seconds + 60));
        await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        var cpu = ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId) - childrenCpu;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        return WrkResult.Parse(await output.ConfigureAwait(false), cpu);
    }
}
