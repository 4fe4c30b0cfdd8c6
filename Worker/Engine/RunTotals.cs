using Observability.Worker.Llm;

namespace Observability.Worker.Engine;

/// <summary>A run's tokens and cost over all its LLM calls (planning and steps), summed from parallel steps.</summary>
internal sealed class RunTotals
{
    private readonly Lock _lock = new();
    private long _inputTokens;
    private long _outputTokens;
    private decimal _cost;

    public void Add(LlmResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        lock (_lock)
        {
            _inputTokens += response.InputTokens;
            _outputTokens += response.OutputTokens;
            _cost += response.CostUsd ?? 0m;
        }
    }

    public (long InputTokens, long OutputTokens, decimal Cost) Snapshot()
    {
        lock (_lock)
        {
            return (_inputTokens, _outputTokens, _cost);
        }
    }
}
