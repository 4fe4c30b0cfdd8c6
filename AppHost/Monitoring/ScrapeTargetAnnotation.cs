namespace Observability.AppHost.Monitoring;

/// <summary>On a Prometheus resource: scrape <c>/metrics</c> of every replica of <see cref="Resource"/>, labelled <c>job=&lt;name&gt;</c>.</summary>
internal sealed record ScrapeTargetAnnotation(IResource Resource) : IResourceAnnotation;
