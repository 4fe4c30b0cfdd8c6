namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Tests that start hosts with the OpenTelemetry defaults. ActivitySource and Meter listeners are process-wide, so a
/// host's sampler and exporter see other hosts' spans: these tests run one at a time, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryHosts
{
    public const string Name = "Telemetry hosts";
}
