using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// One <see cref="HttpResiliencePipeline"/> per client name for the application's lifetime. The options are read
/// (and validated) when a client sends its first request; later configuration changes need a restart, so a
/// circuit breaker never loses its state to a reload.
/// </summary>
internal sealed class HttpResiliencePipelineProvider(
    IOptionsMonitor<HttpResilienceOptions> options,
    TimeProvider timeProvider,
    ResilienceMetrics metrics,
    ILogger<HttpResiliencePipelineProvider> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpResiliencePipeline>> _pipelines = new(StringComparer.Ordinal);

    public HttpResiliencePipeline Get(string clientName) =>
        _pipelines.GetOrAdd(clientName, name => new Lazy<HttpResiliencePipeline>(
            () => new HttpResiliencePipeline(name, options.Get(name), timeProvider, metrics, logger))).Value;

    public void Dispose()
    {
        foreach (var pipeline in _pipelines.Values)
        {
            if (pipeline.IsValueCreated)
            {
                pipeline.Value.Dispose();
            }
        }
    }
}
