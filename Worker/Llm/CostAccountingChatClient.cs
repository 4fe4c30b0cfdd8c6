using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Observability.Worker.Llm;

/// <summary>
/// Prices each successful call from <c>Llm:Prices</c> (per provider and model): the cost goes on the reply
/// (<c>CostUsd</c>, see <see cref="LlmCost"/>), on the <c>chat {model}</c> span as <c>llm.cost.usd</c> and into the
/// <c>llm.client.cost</c> counter by provider and model. Sits inside <c>UseOpenTelemetry</c>, so the current activity
/// is the call's span.
/// </summary>
internal sealed class CostAccountingChatClient : DelegatingChatClient
{
    private readonly LlmOptions _options;
    private readonly LlmTelemetry _telemetry;
    private readonly string _provider;
    private readonly string _defaultModel;

    public CostAccountingChatClient(IChatClient innerClient, LlmOptions options, LlmTelemetry telemetry)
        : base(innerClient)
    {
        _options = options;
        _telemetry = telemetry;
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _provider = metadata?.ProviderName ?? "unknown";
        _defaultModel = metadata?.DefaultModelId ?? options.Model;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var model = options?.ModelId ?? _defaultModel;
        if (_options.FindPrice(_provider, model, response.ModelId) is not { } price)
        {
            return response;
        }

        var cost = price.Cost(response.InputTokens, response.OutputTokens);
        (response.AdditionalProperties ??= [])[LlmCost.Key] = cost;
        if (Activity.Current is { Source.Name: LlmTelemetry.Name, IsAllDataRequested: true } activity)
        {
            activity.SetTag(LlmCost.Key, (double)cost);
        }

        _telemetry.Cost.Add((double)cost, new TagList
        {
            { "gen_ai.provider.name", _provider },
            { "gen_ai.request.model", model },
            { "gen_ai.response.model", response.ModelId ?? model },
        });
        return response;
    }
}
