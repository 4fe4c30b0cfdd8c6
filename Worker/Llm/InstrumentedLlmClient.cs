using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Observability.Worker.Llm;

/// <summary>
/// The <see cref="ILlmClient"/>: resolves the model, calls the configured <see cref="ILlmProvider"/> inside a
/// <c>chat {model}</c> client span, prices the call and records the GenAI metrics.
/// </summary>
internal sealed class InstrumentedLlmClient(
    ILlmProvider provider,
    LlmTelemetry telemetry,
    IOptions<LlmOptions> options,
    TimeProvider timeProvider,
    ILogger<InstrumentedLlmClient> logger) : ILlmClient
{
    private readonly LlmOptions _options = options.Value;

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Messages.Count == 0)
        {
            throw new ArgumentException("An LLM request needs at least one message.", nameof(request));
        }

        var model = string.IsNullOrWhiteSpace(request.Model) ? _options.Model : request.Model;
        using var activity = LlmTelemetry.Source.StartActivity($"{GenAiAttributes.Chat} {model}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            TagRequest(activity, request, model);
        }

        var tags = new TagList
        {
            { GenAiAttributes.OperationName, GenAiAttributes.Chat },
            { GenAiAttributes.ProviderName, provider.Name },
            { GenAiAttributes.RequestModel, model },
        };
        if (provider.ServerAddress is { } address)
        {
            tags.Add(GenAiAttributes.ServerAddress, address);
            tags.Add(GenAiAttributes.ServerPort, provider.ServerPort);
        }

        telemetry.Requests.Add(1, tags);
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await provider.CompleteAsync(request, model, cancellationToken).ConfigureAwait(false);
            var cost = _options.FindPrice(model, response.ResponseModel)?.Cost(response.InputTokens, response.OutputTokens);
            response = response with { CostUsd = cost };
            Record(response, tags, timeProvider.GetElapsedTime(started));
            if (activity is { IsAllDataRequested: true })
            {
                TagResponse(activity, response);
            }

            LlmLog.Completed(logger, provider.Name, model, response.InputTokens, response.OutputTokens, response.FinishReason);
            return response;
        }
        catch (Exception exception)
        {
            var errorType = exception is LlmException llm ? llm.ErrorType : exception.GetType().FullName!;
            tags.Add(GenAiAttributes.ErrorType, errorType);
            telemetry.OperationDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
            telemetry.Errors.Add(1, tags);
            activity?.SetTag(GenAiAttributes.ErrorType, errorType);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            if (exception is not OperationCanceledException)
            {
                LlmLog.Failed(logger, provider.Name, model, errorType, exception);
            }

            throw;
        }
    }

    private void TagRequest(Activity activity, LlmRequest request, string model)
    {
        activity.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Chat);
        activity.SetTag(GenAiAttributes.ProviderName, provider.Name);
        activity.SetTag(GenAiAttributes.RequestModel, model);
        activity.SetTag(GenAiAttributes.RequestMaxTokens, request.MaxTokens);
        activity.SetTag(GenAiAttributes.RequestTemperature, request.Temperature);
        activity.SetTag(GenAiAttributes.ServerAddress, provider.ServerAddress);
        activity.SetTag(GenAiAttributes.ServerPort, provider.ServerPort);
        if (_options.RecordContent)
        {
            activity.SetTag(GenAiAttributes.InputMessages, GenAiContent.Input(request.Messages));
        }
    }

    private void TagResponse(Activity activity, LlmResponse response)
    {
        activity.SetTag(GenAiAttributes.ResponseModel, response.ResponseModel);
        activity.SetTag(GenAiAttributes.ResponseId, response.ResponseId);
        activity.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { response.FinishReason });
        activity.SetTag(GenAiAttributes.UsageInputTokens, response.InputTokens);
        activity.SetTag(GenAiAttributes.UsageOutputTokens, response.OutputTokens);
        activity.SetTag(GenAiAttributes.CostUsd, response.CostUsd is { } cost ? (double)cost : null);
        if (_options.RecordContent)
        {
            activity.SetTag(GenAiAttributes.OutputMessages, GenAiContent.Output(response));
        }
    }

    private void Record(LlmResponse response, TagList tags, TimeSpan duration)
    {
        tags.Add(GenAiAttributes.ResponseModel, response.ResponseModel);
        telemetry.OperationDuration.Record(duration.TotalSeconds, tags);
        var input = tags;
        input.Add(GenAiAttributes.TokenType, GenAiAttributes.Input);
        telemetry.TokenUsage.Record(response.InputTokens, input);
        var output = tags;
        output.Add(GenAiAttributes.TokenType, GenAiAttributes.Output);
        telemetry.TokenUsage.Record(response.OutputTokens, output);
        if (response.CostUsd is { } cost)
        {
            telemetry.Cost.Add((double)cost, tags);
        }
    }
}
