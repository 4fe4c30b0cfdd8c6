namespace Observability.Hosting.Containers;

/// <summary>A container engine that answered: its CLI and the server's version.</summary>
/// <param name="Name">docker or podman.</param>
/// <param name="Executable">The CLI's full path.</param>
/// <param name="ServerVersion">What the engine reported.</param>
internal sealed record ContainerRuntime(string Name, string Executable, string ServerVersion);
