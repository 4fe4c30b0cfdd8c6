using Observability.Hosting.Containers;

namespace Observability.Hosting.Tests;

/// <summary>Detection only: no engine runs here, so fake CLIs on a private search path play the engine's answers.</summary>
[Trait("Category", "Integration")]
public sealed class ContainerRuntimeDetectorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("detector-").FullName;

    [Fact]
    public async Task DetectAsync_EngineAnswers_ReturnsIt()
    {
        WriteCli("docker", "echo 27.3.1");

        var detection = await ContainerRuntimeDetector.DetectAsync(_directory, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(new ContainerRuntime("docker", Path.Combine(_directory, "docker"), "27.3.1"), detection.Runtime);
    }

    [Fact]
    public async Task DetectAsync_ClientWithoutEngine_ReturnsNoneWithTheEnginesAnswer()
    {
        WriteCli("docker", "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; exit 1");

        var detection = await ContainerRuntimeDetector.DetectAsync(_directory, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Null(detection.Runtime);
        Assert.Equal("docker: the engine did not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock.); podman: not installed", detection.Reason);
    }

    [Fact]
    public async Task DetectAsync_FirstEngineSilent_FallsBackToPodman()
    {
        WriteCli("docker", "sleep 30");
        WriteCli("podman", "echo 5.2.0");

        var detection = await ContainerRuntimeDetector.DetectAsync(_directory, TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);

        Assert.Equal("podman", detection.Runtime?.Name);
        Assert.Equal("5.2.0", detection.Runtime?.ServerVersion);
    }

    [Fact]
    public async Task DetectAsync_NothingInstalled_SaysSo()
    {
        var detection = await ContainerRuntimeDetector.DetectAsync(_directory, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Null(detection.Runtime);
        Assert.Equal("docker: not installed; podman: not installed", detection.Reason);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void WriteCli(string name, string body)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
