namespace Observability.TestInfrastructure.Otlp;

/// <summary>What an <see cref="OtlpCaptureReceiver"/> keeps of what it receives. It counts everything in either mode.</summary>
public enum OtlpCaptureMode
{
    /// <summary>Every request, raw and decoded (spans, log records, metrics), for tests that look at what arrived.</summary>
    Keep,

    /// <summary>
    /// Only the counts (<see cref="OtlpCaptureReceiver.Counts"/>): spans per trace and name, log records, metrics. For
    /// benchmarks, where hundreds of thousands of spans arrive and keeping them would cost the memory and CPU measured.
    /// </summary>
    Count,
}
