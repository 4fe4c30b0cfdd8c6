using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Observability.Worker.Llm;

/// <summary>
/// The LLM client's ActivitySource and instruments, per the OpenTelemetry GenAI semantic conventions
/// (<c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>) plus three of our own:
/// <c>llm.client.requests</c>, <c>llm.client.errors</c> and <c>llm.client.cost</c> (USD).
/// </summary>
internal sealed class LlmTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public static readonly string Name = typeof(LlmTelemetry).Namespace!;

    /// <summary>The client spans, one per call.</summary>
    public static readonly ActivitySource Source = new(Name);

    // Bucket boundaries the conventions advise for the two GenAI histograms.
    private static readonly IReadOnlyList<int> TokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private static readonly IReadOnlyList<double> DurationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    public LlmTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        TokenUsage = meter.CreateHistogram("gen_ai.client.token.usage", "{token}",
            "Number of input and output tokens used.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = TokenBuckets });
        OperationDuration = meter.CreateHistogram("gen_ai.client.operation.duration", "s",
            "GenAI operation duration.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        Requests = meter.CreateCounter<long>("llm.client.requests", "{request}",
            "LLM calls made, by provider and model, whatever their outcome.");
        Errors = meter.CreateCounter<long>("llm.client.errors", "{error}",
            "LLM calls that failed, by provider, model and error.type.");
        Cost = meter.CreateCounter<double>("llm.client.cost", "USD",
            "Cost of LLM calls from the configured prices (Llm:Prices), by provider and model.");
    }

    public Histogram<int> TokenUsage { get; }

    public Histogram<double> OperationDuration { get; }

    public Counter<long> Requests { get; }

    public Counter<long> Errors { get; }

    public Counter<double> Cost { get; }
}
