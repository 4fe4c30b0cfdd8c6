using System.Diagnostics;
using Microsoft.Extensions.AI;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// A step's model call, done: its reply (or the error after the retries), when the step started, and its span, which
/// the engine ends once the step's outcome is stored.
/// </summary>
internal sealed record StepOutcome(PlannedStep Step, ChatResponse? Response, string? Error, long StartedTimestamp, Activity? Activity);
