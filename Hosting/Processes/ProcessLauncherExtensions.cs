using Observability.Hosting.Logs;

namespace Observability.Hosting.Processes;

/// <summary>Short set-up commands (initdb, chown) run like any child: captured output, no orphan.</summary>
internal static class ProcessLauncherExtensions
{
    public static async Task RunToCompletionAsync(
        this ProcessLauncher launcher, ProcessSpec spec, ResourceLogBuffer log, string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var process = await launcher.StartAsync(spec, log, instanceId).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        int exitCode;
        try
        {
            exitCode = await process.Exited.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await process.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(spec.FileName)} did not finish within {timeout}.");
        }

        if (exitCode != 0)
        {
            var output = string.Join(" | ", log.Snapshot().TakeLast(5).Select(line => line.Text));
            throw new InvalidOperationException($"{Path.GetFileName(spec.FileName)} exited with code {exitCode}: {output}");
        }
    }
}
