using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Observability.SampleTraffic;

/// <summary>Submits one sample workflow at start, then one every <c>SampleTraffic:Interval</c>, until the host stops.</summary>
internal sealed class SampleTrafficService(
    GatewayClient gateway,
    IOptions<SampleTrafficOptions> options,
    TimeProvider timeProvider,
    ILogger<SampleTrafficService> logger) : BackgroundService
{
    private readonly SampleTrafficOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, timeProvider);
        try
        {
            var submitted = 0L;
            do
            {
                await SubmitAsync(SampleTasks.At(submitted++), stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SubmitAsync(string task, CancellationToken cancellationToken)
    {
        try
        {
            var run = await gateway.SubmitAsync(task, cancellationToken).ConfigureAwait(false);
            SampleTrafficLog.Submitted(logger, run.RunId, task, run.TraceId);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The gateway is down or refused: say so and try again at the next tick.
            SampleTrafficLog.SubmitFailed(logger, e, _options.Gateway);
        }
    }
}
