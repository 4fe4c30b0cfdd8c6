using Microsoft.Extensions.Options;
using Observability.Dashboard.Authentication;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Otlp;

/// <summary>OTLP/HTTP receiver: <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> in protobuf or JSON, optionally gzipped.</summary>
internal static class OtlpHttpApi
{
    public const string CorsPolicyName = "OtlpBrowserExport";

    public static RouteGroupBuilder MapOtlpHttpApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").AddEndpointFilter<OtlpApiKeyFilter>().DisableAntiforgery();
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<OtlpOptions>>().Value.CorsAllowedOrigins.Count > 0)
        {
            group.RequireCors(CorsPolicyName);
        }

        group.MapPost("/traces", ExportTracesAsync);
        group.MapPost("/metrics", ExportMetricsAsync);
        group.MapPost("/logs", ExportLogsAsync);
        return group;
    }

    public static Task<OtlpHttpResult> ExportTracesAsync(HttpContext context, OtlpIngestor ingestor, ExportLimiter limiter, IOptions<OtlpOptions> options) =>
        ExportAsync(OtlpSignal.Traces, context, ingestor, limiter, options.Value);

    public static Task<OtlpHttpResult> ExportMetricsAsync(HttpContext context, OtlpIngestor ingestor, ExportLimiter limiter, IOptions<OtlpOptions> options) =>
        ExportAsync(OtlpSignal.Metrics, context, ingestor, limiter, options.Value);

    public static Task<OtlpHttpResult> ExportLogsAsync(HttpContext context, OtlpIngestor ingestor, ExportLimiter limiter, IOptions<OtlpOptions> options) =>
        ExportAsync(OtlpSignal.Logs, context, ingestor, limiter, options.Value);

    private static async Task<OtlpHttpResult> ExportAsync(OtlpSignal signal, HttpContext context, OtlpIngestor ingestor, ExportLimiter limiter, OtlpOptions options)
    {
        var request = context.Request;
        if (OtlpContentTypes.Parse(request.ContentType) is not { } format)
        {
            return OtlpHttpResult.Error(StatusCodes.Status415UnsupportedMediaType, OtlpFormat.Protobuf, OtlpResponses.InvalidArgument,
                $"Content-Type must be {OtlpResponses.ProtobufContentType} or {OtlpResponses.JsonContentType}.");
        }

        if (!limiter.TryEnter())
        {
            return OtlpHttpResult.Error(StatusCodes.Status503ServiceUnavailable, format, OtlpResponses.Unavailable,
                "Too many exports in progress; retry later.", limiter.RetryAfter);
        }

        try
        {
            var (status, body) = await RequestBodyReader.ReadAsync(request.Body, request.Headers.ContentEncoding.ToString(),
                request.ContentLength, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
            switch (status)
            {
                case RequestBodyStatus.TooLarge:
                    return OtlpHttpResult.Error(StatusCodes.Status413PayloadTooLarge, format, OtlpResponses.ResourceExhausted,
                        $"The export is larger than {options.MaxRequestBodyBytes} bytes (Dashboard:Otlp:MaxRequestBodyBytes).");
                case RequestBodyStatus.UnsupportedEncoding:
                    return OtlpHttpResult.Error(StatusCodes.Status415UnsupportedMediaType, format, OtlpResponses.InvalidArgument,
                        "Content-Encoding must be gzip or identity.");
                case RequestBodyStatus.InvalidCompression:
                    return OtlpHttpResult.Error(StatusCodes.Status400BadRequest, format, OtlpResponses.InvalidArgument,
                        "The body is not valid gzip.");
            }

            using (body)
            {
                try
                {
                    var result = ingestor.Ingest(signal, format, body!.Memory);
                    return new OtlpHttpResult(StatusCodes.Status200OK, format, OtlpResponses.Export(signal, format, result));
                }
                catch (OtlpDecodeException exception)
                {
                    return OtlpHttpResult.Error(StatusCodes.Status400BadRequest, format, OtlpResponses.InvalidArgument, exception.Message);
                }
            }
        }
        finally
        {
            limiter.Exit();
        }
    }
}
