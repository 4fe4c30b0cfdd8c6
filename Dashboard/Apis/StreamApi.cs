using System.Text;
using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>
/// <c>GET /api/stream</c>: server-sent events, one per export stored (<c>event: spans|logs|metrics</c>, JSON data).
/// The subscription exists before the response headers are sent, so a client that has the headers misses nothing.
/// </summary>
internal static class StreamApi
{
    public static RouteGroupBuilder MapStreamApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/stream");
        group.MapGet("/", StreamAsync);
        return group;
    }

    public static async Task StreamAsync(TelemetryNotifier notifier, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        using var subscription = notifier.Subscribe();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var data = JsonSerializer.Serialize(change, DashboardJsonContext.Default.TelemetryChange);
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {change.Signal}\ndata: {data}\n\n"), cancellationToken).ConfigureAwait(false);
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }
}
