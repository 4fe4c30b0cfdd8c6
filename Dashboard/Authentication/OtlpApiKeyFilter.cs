using Observability.Dashboard.Otlp;

namespace Observability.Dashboard.Authentication;

/// <summary>Answers 401 (with a <c>google.rpc.Status</c>) to OTLP/HTTP exports without a valid API key.</summary>
internal sealed class OtlpApiKeyFilter(OtlpApiKeyValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (validator.IsAuthorized(context.HttpContext))
        {
            return await next(context).ConfigureAwait(false);
        }

        var format = OtlpContentTypes.Parse(context.HttpContext.Request.ContentType) ?? OtlpFormat.Protobuf;
        return OtlpHttpResult.Error(StatusCodes.Status401Unauthorized, format, OtlpResponses.Unauthenticated,
            $"A valid {OtlpApiKeyValidator.HeaderName} header is required.");
    }
}
