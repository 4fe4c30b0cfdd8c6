using Observability.Hosting.Orchestration;

namespace Observability.Hosting.Containers;

/// <summary>
/// Chooses how servers (Redis, PostgreSQL) run, per <c>AppHost:Runtime</c>: <c>auto</c> uses a container engine
/// when one answers, else the local binaries; <c>local</c> and <c>container</c> insist. When nothing fits, the error
/// says what to install.
/// </summary>
/// <param name="options">The orchestrator's settings.</param>
/// <param name="searchPath">Where to look for docker/podman (null: PATH).</param>
internal sealed class ServerRuntimeSelector(HostingOptions options, string? searchPath = null)
{
    private readonly Lazy<Task<ContainerRuntimeDetection>> _detection = new(
        () => ContainerRuntimeDetector.DetectAsync(searchPath, TimeSpan.FromSeconds(5), CancellationToken.None));

    public async Task<ServerRuntime> SelectAsync(string server, string? localBinary, string debianPackage, CancellationToken cancellationToken)
    {
        if (options.Runtime == RuntimeMode.Local)
        {
            return localBinary is not null
                ? new ServerRuntime(null, localBinary)
                : throw new InvalidOperationException($"{server} was not found (AppHost:Runtime is 'local'): install it, e.g. 'sudo apt-get install {debianPackage}'.");
        }

        var detection = await _detection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (detection.Runtime is { } runtime)
        {
            return new ServerRuntime(runtime, null);
        }

        if (options.Runtime == RuntimeMode.Container)
        {
            throw new InvalidOperationException($"AppHost:Runtime is 'container' but no container engine answers ({detection.Reason}): start Docker or Podman, or set AppHost:Runtime to 'auto'.");
        }

        return localBinary is not null
            ? new ServerRuntime(null, localBinary)
            : throw new InvalidOperationException(
                $"Cannot run {server}: no container engine answers ({detection.Reason}) and no local {server} was found. " +
                $"Install it (e.g. 'sudo apt-get install {debianPackage}') or start Docker or Podman.");
    }
}
