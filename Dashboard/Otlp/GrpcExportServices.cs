using Microsoft.Extensions.Options;
using Observability.Dashboard.Authentication;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Otlp;

/// <summary>What the gRPC receiver needs, resolved once per request.</summary>
internal sealed class GrpcExportServices(OtlpIngestor ingestor, ExportLimiter limiter, OtlpApiKeyValidator apiKeys, IOptions<OtlpOptions> options)
{
    public OtlpIngestor Ingestor { get; } = ingestor;

    public ExportLimiter Limiter { get; } = limiter;

    public OtlpApiKeyValidator ApiKeys { get; } = apiKeys;

    public IOptions<OtlpOptions> Options { get; } = options;
}
