namespace Observability.Hosting.Containers;

/// <summary>How a server resource runs: in a container of <paramref name="Container"/>, or from the local binary.</summary>
internal sealed record ServerRuntime(ContainerRuntime? Container, string? LocalBinary);
