using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary><c>GET /api/stream</c>: server-sent events, one per export stored (<c>event: spans|logs|metrics</c>).</summary>
internal static class StreamApi
{
    public static RouteGroupBuilder MapStreamApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/stream");
        group.MapGet("/", Stream);
        return group;
    }

    public static IResult Stream(TelemetryNotifier notifier, HttpContext context) =>
        TypedResults.ServerSentEvents(Events(notifier, context.RequestAborted));

    private static async IAsyncEnumerable<SseItem<TelemetryChange>> Events(TelemetryNotifier notifier, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in notifier.SubscribeAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new SseItem<TelemetryChange>(change, change.Signal);
        }
    }
}
