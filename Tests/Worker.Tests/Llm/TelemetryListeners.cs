namespace Observability.Worker.Tests.Llm;

/// <summary>Tests with process-wide Activity and Meter listeners run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryListeners
{
    public const string Name = "LLM telemetry listeners";
}
