using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Observability.AppHost.LocalServers;

/// <summary>Creates the local server's cluster with <c>initdb</c> the first time (as the <c>postgres</c> user when root).</summary>
internal static class PostgresCluster
{
    private static readonly TimeSpan InitdbTimeout = TimeSpan.FromMinutes(2);

    public static async Task EnsureCreatedAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(server.ClusterDirectory, "PG_VERSION")))
        {
            return;
        }

        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var password = await server.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The parameter '{server.PasswordParameter.Name}' has no value.");
        var passwordFile = Path.Combine(server.WorkingDirectory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        try
        {
            if (RunAs.IsRoot)
            {
                await RunAsync("chown", ["-R", $"{LocalPostgresServerResource.UserName}:{LocalPostgresServerResource.UserName}", server.WorkingDirectory], cancellationToken).ConfigureAwait(false);
            }

            var (command, prefix) = RunAs.Command(LocalPostgresBuilderExtensions.Binary("initdb"), LocalPostgresServerResource.UserName);
            await RunAsync(
                command,
                [.. prefix, "-D", server.ClusterDirectory, "-U", LocalPostgresServerResource.UserName, "--pwfile", passwordFile,
                 "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C"],
                cancellationToken).ConfigureAwait(false);
            LocalServersLog.ClusterCreated(logger, server.ClusterDirectory);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InitdbTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }
}
