namespace Observability.AppHost.Monitoring;

/// <summary>On a Prometheus resource: scrape the exporter's <c>/metrics</c>, labelled <c>job=<see cref="Job"/></c>.</summary>
internal sealed record ExporterTargetAnnotation(IResourceWithEndpoints Exporter, string Job) : IResourceAnnotation;
