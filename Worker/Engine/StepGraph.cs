using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// The execution state of a plan's DAG for one run: which steps are done (with their outputs, the context their
/// dependents get), running, failed or skipped, and which are ready (every dependency completed). Used by one loop.
/// </summary>
internal sealed class StepGraph
{
    /// <summary>What dependents are told of a step an earlier attempt completed (its output was not kept).</summary>
    public const string EarlierOutput = "(completed in an earlier attempt)";

    private readonly WorkflowPlan _plan;
    private readonly Dictionary<string, PlannedStep> _steps;
    private readonly Dictionary<string, string> _outputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public StepGraph(WorkflowPlan plan, IReadOnlySet<string> completed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(completed);
        _plan = plan;
        _steps = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var key in completed.Where(_steps.ContainsKey))
        {
            _outputs[key] = EarlierOutput;
            _claimed.Add(key);
        }
    }

    public PlannedStep this[string key] => _steps[key];

    /// <summary>The outputs of the completed steps, by key.</summary>
    public IReadOnlyDictionary<string, string> Outputs => _outputs;

    public bool AllCompleted => _outputs.Count == _steps.Count;

    /// <summary>Up to <paramref name="count"/> steps not yet claimed whose dependencies all completed, in plan order; they become claimed.</summary>
    public IReadOnlyList<string> Ready(int count)
    {
        var ready = new List<string>();
        foreach (var step in _plan.Steps)
        {
            if (ready.Count >= count)
            {
                break;
            }

            if (!_claimed.Contains(step.Id) && step.DependsOn.All(_outputs.ContainsKey))
            {
                ready.Add(step.Id);
                _claimed.Add(step.Id);
            }
        }

        return ready;
    }

    /// <summary>Steps that were claimed but not started after all (the store refused them).</summary>
    public void Unclaim(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _claimed.Remove(key);
        }
    }

    public void MarkRunning(string key) => _claimed.Add(key);

    public void Complete(string key, string output) => _outputs[key] = output;

    /// <summary>Marks the step failed; returns its transitive dependents, which are skipped (claimed, never run).</summary>
    public IReadOnlyList<string> Fail(string key)
    {
        var skipped = new List<string>();
        var frontier = new Queue<string>([key]);
        while (frontier.TryDequeue(out var failed))
        {
            foreach (var dependent in _plan.Steps.Where(s => s.DependsOn.Contains(failed, StringComparer.Ordinal)))
            {
                if (_claimed.Add(dependent.Id))
                {
                    skipped.Add(dependent.Id);
                    frontier.Enqueue(dependent.Id);
                }
            }
        }

        return skipped;
    }
}
