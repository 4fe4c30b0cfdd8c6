using System.Diagnostics;

namespace Observability.Gateway;

/// <summary>The Gateway's ActivitySource and the attribute names its spans use.</summary>
internal static class GatewayTelemetry
{
    public const string SourceName = "Observability.Gateway";

    public const string RunIdAttribute = "workflow.run_id";

    public static readonly ActivitySource Source = new(SourceName);
}
