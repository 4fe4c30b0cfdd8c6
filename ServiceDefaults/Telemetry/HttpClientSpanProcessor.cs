using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Redacts query-string values in <c>url.full</c> of HttpClient spans (keys stay, values become <c>REDACTED</c>).
/// .NET already replaces the whole query with <c>*</c> unless that is switched off; this keeps secrets out either way.
/// </summary>
internal sealed class HttpClientSpanProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (!data.IsAllDataRequested || data.Source.Name != TelemetrySources.HttpClient)
        {
            return;
        }

        if (data.GetTagItem("url.full") is string url && url.Contains('?', StringComparison.Ordinal))
        {
            data.SetTag("url.full", QueryRedactor.RedactUrl(url));
        }
    }
}
