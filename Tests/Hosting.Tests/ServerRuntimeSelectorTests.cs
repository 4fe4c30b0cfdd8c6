using Observability.Hosting.Containers;
using Observability.Hosting.Orchestration;

namespace Observability.Hosting.Tests;

public sealed class ServerRuntimeSelectorTests : IDisposable
{
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("no-engine-").FullName;

    [Fact]
    public async Task SelectAsync_LocalWithoutBinary_SaysWhatToInstall()
    {
        var selector = new ServerRuntimeSelector(Options(RuntimeMode.Local), _emptyPath);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => selector.SelectAsync("redis-server", localBinary: null, "redis-server", TestContext.Current.CancellationToken));

        Assert.Equal("redis-server was not found (AppHost:Runtime is 'local'): install it, e.g. 'sudo apt-get install redis-server'.", error.Message);
    }

    [Fact]
    public async Task SelectAsync_AutoWithNeitherEngineNorBinary_SaysWhatToInstallOrStart()
    {
        var selector = new ServerRuntimeSelector(Options(RuntimeMode.Auto), _emptyPath);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => selector.SelectAsync("postgres", localBinary: null, "postgresql", TestContext.Current.CancellationToken));

        Assert.Equal(
            "Cannot run postgres: no container engine answers (docker: not installed; podman: not installed) and no local postgres was found. " +
            "Install it (e.g. 'sudo apt-get install postgresql') or start Docker or Podman.",
            error.Message);
    }

    [Fact]
    public async Task SelectAsync_AutoWithoutEngine_UsesTheLocalBinary()
    {
        var selector = new ServerRuntimeSelector(Options(RuntimeMode.Auto), _emptyPath);

        var runtime = await selector.SelectAsync("redis-server", "/usr/bin/redis-server", "redis-server", TestContext.Current.CancellationToken);

        Assert.Equal(new ServerRuntime(null, "/usr/bin/redis-server"), runtime);
    }

    [Fact]
    public async Task SelectAsync_ContainerWithoutEngine_Fails()
    {
        var selector = new ServerRuntimeSelector(Options(RuntimeMode.Container), _emptyPath);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => selector.SelectAsync("redis-server", "/usr/bin/redis-server", "redis-server", TestContext.Current.CancellationToken));

        Assert.StartsWith("AppHost:Runtime is 'container' but no container engine answers", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_emptyPath);

    private static HostingOptions Options(RuntimeMode mode) => new() { StateDirectory = Path.GetTempPath(), Runtime = mode };
}
