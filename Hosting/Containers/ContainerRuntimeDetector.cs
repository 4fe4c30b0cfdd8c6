using System.Diagnostics;

namespace Observability.Hosting.Containers;

/// <summary>
/// Finds a container engine that answers: a <c>docker</c> or <c>podman</c> CLI on the search path whose
/// <c>info</c> command reports a server version in time. A CLI without a running engine does not count.
/// </summary>
internal static class ContainerRuntimeDetector
{
    private static readonly (string Name, string Format)[] Candidates = [("docker", "{{.ServerVersion}}"), ("podman", "{{.Version.Version}}")];

    public static async Task<ContainerRuntimeDetection> DetectAsync(string? searchPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var (name, format) in Candidates)
        {
            if (Processes.ExecutableFinder.Find(name, searchPath) is not { } executable)
            {
                reasons.Add($"{name}: not installed");
                continue;
            }

            var (exitCode, output, error) = await RunAsync(executable, ["info", "--format", format], timeout, cancellationToken).ConfigureAwait(false);
            var version = output.Trim();
            if (exitCode == 0 && version.Length > 0)
            {
                return new ContainerRuntimeDetection(new ContainerRuntime(name, executable, version), $"{name} engine {version} answers");
            }

            var detail = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                ?? (exitCode is null ? $"no answer within {timeout.TotalSeconds:0.#} s" : $"exit code {exitCode}");
            reasons.Add($"{name}: the engine did not answer ({detail})");
        }

        return new ContainerRuntimeDetection(null, string.Join("; ", reasons));
    }

    private static async Task<(int? ExitCode, string Output, string Error)> RunAsync(string executable, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (null, string.Empty, string.Empty);
        }
    }
}
