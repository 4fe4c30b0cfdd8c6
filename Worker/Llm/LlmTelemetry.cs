using System.Diagnostics.Metrics;

namespace Observability.Worker.Llm;

/// <summary>
/// The LLM layer's telemetry name and its one instrument of our own. <c>UseOpenTelemetry</c> (Microsoft.Extensions.AI)
/// records the <c>chat {model}</c> spans and the <c>gen_ai.client.token.usage</c> /
/// <c>gen_ai.client.operation.duration</c> histograms under <see cref="Name"/>; the conventions define no cost
/// instrument, so <c>llm.client.cost</c> (USD, by provider and model) is ours.
/// </summary>
internal sealed class LlmTelemetry
{
    /// <summary>The ActivitySource and Meter name of the GenAI spans and metrics.</summary>
    public const string Name = "Observability.Worker.Llm";

    public LlmTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        Cost = meter.CreateCounter<double>("llm.client.cost", "USD",
            "Cost of LLM calls from the configured prices (Llm:Prices), by provider and model.");
    }

    public Counter<double> Cost { get; }
}
