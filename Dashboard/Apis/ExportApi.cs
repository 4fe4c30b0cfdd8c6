using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>
/// <c>GET /api/export/{traces|logs|metrics}[?resource=id]</c>: stored telemetry as an OTLP/JSON export request.
/// <c>POST /api/import/{signal}</c>: takes such a file back (OTLP/JSON, same limits as <c>/v1/*</c>).
/// </summary>
internal static class ExportApi
{
    public static RouteGroupBuilder MapExportApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api");
        group.MapGet("/export/{signal}", ExportAsync);
        group.MapPost("/import/{signal}", ImportAsync).DisableAntiforgery();
        return group;
    }

    public static async Task<Results<EmptyHttpResult, NotFound>> ExportAsync(
        string signal, int? resource, HttpContext context, ResourceRegistry registry, TraceStore traces, LogStore logs, MetricStore metrics)
    {
        if (ParseSignal(signal) is not { } parsed)
        {
            return TypedResults.NotFound();
        }

        context.Response.ContentType = OtlpResponses.JsonContentType;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{signal}.otlp.json\"";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        switch (parsed)
        {
            case OtlpSignal.Traces:
                OtlpJsonExporter.WriteTraces(writer, traces.Snapshot(resource));
                break;
            case OtlpSignal.Logs:
                OtlpJsonExporter.WriteLogs(writer, logs.Snapshot(resource));
                break;
            default:
                var resources = registry.All().Where(r => resource is null || r.Id == resource);
                OtlpJsonExporter.WriteMetrics(writer, resources.Select(r => (r, metrics.Snapshot(r.Id))).Where(r => r.Item2.Count > 0));
                break;
        }

        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    public static async Task<Results<Ok<ImportResponse>, NotFound, ValidationProblem>> ImportAsync(
        string signal, HttpContext context, OtlpIngestor ingestor, IOptions<OtlpOptions> options)
    {
        if (ParseSignal(signal) is not { } parsed)
        {
            return TypedResults.NotFound();
        }

        var request = context.Request;
        var (status, body) = await RequestBodyReader.ReadAsync(request.Body, request.Headers.ContentEncoding.ToString(), request.ContentLength,
            options.Value.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (status != RequestBodyStatus.Ok)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"The file could not be read ({status})."] });
        }

        using (body)
        {
            try
            {
                var result = ingestor.Ingest(parsed, OtlpFormat.Json, body!.Memory);
                return TypedResults.Ok(new ImportResponse(result.Accepted, result.Rejected));
            }
            catch (OtlpDecodeException exception)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [exception.Message] });
            }
        }
    }

    private static OtlpSignal? ParseSignal(string signal) => signal switch
    {
        "traces" => OtlpSignal.Traces,
        "logs" => OtlpSignal.Logs,
        "metrics" => OtlpSignal.Metrics,
        _ => null,
    };
}
