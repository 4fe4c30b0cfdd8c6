namespace Observability.Hosting.Containers;

/// <summary>The outcome of looking for a container engine: the engine, or why none is usable.</summary>
internal sealed record ContainerRuntimeDetection(ContainerRuntime? Runtime, string Reason);
