using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// A pull-only metric exporter: the <see cref="BaseExportingMetricReader"/> wrapping it hands it the
/// <see cref="Collect"/> delegate, and every collection it triggers comes back through <see cref="Export"/>,
/// which renders the batch synchronously (a batch is only valid during the call).
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly Func<Batch<Metric>, PrometheusExporter, ExportResult> _onExport;

    public PrometheusExporter(Func<Batch<Metric>, PrometheusExporter, ExportResult> onExport) => _onExport = onExport;

    /// <summary>Set by the reader once registered in a MeterProvider; null before and after it.</summary>
    public Func<int, bool>? Collect { get; set; }

    public override ExportResult Export(in Batch<Metric> batch) => _onExport(batch, this);
}
