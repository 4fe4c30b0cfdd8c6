using System.Globalization;
using Polly;
using Polly.Timeout;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// Sends each request through its client's standard pipeline. A request that may be retried has its content
/// buffered first, so every attempt sends the same bytes.
/// </summary>
internal sealed class ResilienceHandler(string clientName, HttpResiliencePipelineProvider pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pipeline = pipelines.Get(clientName);
        if (request.Content is not null && pipeline.Options.Retry.MaxRetryAttempts > 0 && HttpTransientPredicates.MayRetry(request))
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(HttpResilienceKeys.Request, request);
            var outcome = await pipeline.Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var response = await state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken)
                            .ConfigureAwait(ctx.ContinueOnCapturedContext);
                        return Outcome.FromResult(response);
                    }
#pragma warning disable CA1031 // Every failure becomes an outcome the pipeline judges; none is swallowed.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            if (outcome.Exception is TimeoutRejectedException timeout)
            {
                throw CreateTimeoutException(pipeline, request, timeout, context.Properties.TryGetValue(HttpResilienceKeys.TotalTimeoutFired, out _));
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private static TimeoutException CreateTimeoutException(HttpResiliencePipeline pipeline, HttpRequestMessage request,
        TimeoutRejectedException timeout, bool total)
    {
        var options = pipeline.Options;
        var target = $"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}";
        var message = total
            ? string.Create(CultureInfo.InvariantCulture,
                $"HTTP client '{pipeline.ClientName}': {target} did not complete within the total request timeout of {options.TotalRequestTimeout} ({HttpResilienceOptions.SectionName}:TotalRequestTimeout), retries included.")
            : string.Create(CultureInfo.InvariantCulture,
                $"HTTP client '{pipeline.ClientName}': {target} timed out after {options.AttemptTimeout} ({HttpResilienceOptions.SectionName}:AttemptTimeout) on its last attempt.");
        return new TimeoutException(message, timeout);
    }
}
