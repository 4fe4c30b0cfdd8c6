using System.Diagnostics;
using Microsoft.Extensions.Options;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using StackExchange.Redis;

namespace Observability.Gateway.Outbox;

/// <summary>
/// Moves committed jobs from the outbox to their Redis stream: immediately after a submit (<see cref="OutboxSignal"/>),
/// otherwise every <see cref="OutboxRelayOptions.PollInterval"/>, in <see cref="OutboxRelayOptions.ConcurrentBatches"/> loops. When Redis (or the database) fails, it backs off
/// exponentially and retries; the rows stay unsent meanwhile, so no job is lost. A batch's XADDs are started together,
/// so the multiplexer pipelines them in one write; an idle worker's blocking XREADGROUP is answered by them at once.
/// </summary>
internal sealed class OutboxRelayService(
    IServiceScopeFactory scopeFactory,
    IConnectionMultiplexer redis,
    OutboxSignal signal,
    IOptions<OutboxRelayOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRelayService> logger) : BackgroundService
{
    private readonly OutboxRelayOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Enumerable.Range(0, _options.ConcurrentBatches).Select(_ => RelayLoopAsync(stoppingToken)));

    /// <summary>
    /// One relay loop. Several run side by side (<see cref="OutboxRelayOptions.ConcurrentBatches"/>): their batches are
    /// disjoint (SKIP LOCKED), and while one waits for the database another publishes, so the relay keeps up with a
    /// burst even when busy request threads delay each of its steps.
    /// </summary>
    private async Task RelayLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var backoff = _options.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            int relayed;
            try
            {
                relayed = await RelayOnceAsync(stoppingToken).ConfigureAwait(false);
                backoff = _options.InitialBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                GatewayLog.RelayFailed(logger, exception, backoff);
                try
                {
                    await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                continue;
            }

            if (relayed < _options.BatchSize)
            {
                await signal.WaitAsync(_options.PollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Relays one batch; returns how many messages were published.</summary>
    internal async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var relay = scope.ServiceProvider.GetRequiredService<OutboxRelay>();
            var count = await relay.RelayBatchAsync(_options.BatchSize, maxConcurrentPublishes: _options.BatchSize, PublishAsync, cancellationToken)
                .ConfigureAwait(false);
            if (count > 0)
            {
                GatewayLog.Relayed(logger, count);
            }

            return count;
        }
    }

    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        // The publish span continues the submit's trace: the stored traceparent is its parent.
        var parent = MessageTraceContext.Extract(message.TraceParent, message.Baggage).ActivityContext;
        using var activity = GatewayTelemetry.Source.StartActivity($"{message.Stream} publish", ActivityKind.Producer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", message.Stream);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "publish");
        }

        try
        {
            NameValueEntry[] fields =
            [
                new(WorkflowStreams.MessageField, message.Payload),
                new(WorkflowStreams.TraceParentField, message.TraceParent ?? string.Empty),
                new(WorkflowStreams.BaggageField, message.Baggage ?? string.Empty),
            ];
            cancellationToken.ThrowIfCancellationRequested();
            var id = await redis.GetDatabase().StreamAddAsync(message.Stream, fields, maxLength: _options.StreamMaxLength, useApproximateMaxLength: true).ConfigureAwait(false);
            activity?.SetTag("messaging.message.id", (string?)id);
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag("error.type", exception.GetType().FullName);
            throw;
        }
    }
}
