using Observability.AppHost.Commands;

namespace Observability.AppHost.Links;

/// <summary>The gateway's pages a user wants from its row in the dashboard, beside its endpoint's own link.</summary>
internal static class GatewayLinkExtensions
{
    /// <summary>
    /// The API reference (OpenAPI document), and the runs and the performance summary of the session the "Submit sample
    /// workflow" command submits to. Each is added for the endpoint: a relative <c>WithUrl</c> would rewrite the
    /// endpoint's own URL instead of adding one (Aspire 13.6).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewayLinks(this IResourceBuilder<ProjectResource> builder, string endpointName = "http")
    {
        const string session = ResourceCommandExtensions.SampleSessionId;
        return builder
            .WithUrlForEndpoint(endpointName, _ => new() { Url = "/openapi/v1.json", DisplayText = "API reference (OpenAPI)" })
            .WithUrlForEndpoint(endpointName, _ => new() { Url = $"/api/workflows?sessionId={session}", DisplayText = $"Runs of session '{session}'" })
            .WithUrlForEndpoint(endpointName, _ => new() { Url = $"/api/observability/performance/{session}", DisplayText = $"Performance of session '{session}'" });
    }
}
