using Polly;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>What the handler hands to the pipeline's callbacks through <see cref="ResilienceContext.Properties"/>.</summary>
internal static class HttpResilienceKeys
{
    /// <summary>The request being sent, so predicates can see its method and headers.</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> Request = new("Observability.Http.Request");

    /// <summary>Set when the total request timeout fired, to tell it apart from an attempt timeout.</summary>
    public static readonly ResiliencePropertyKey<bool> TotalTimeoutFired = new("Observability.Http.TotalTimeoutFired");
}
