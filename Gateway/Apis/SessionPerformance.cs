using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary>A session's performance over the last <see cref="Hours"/> hours.</summary>
internal sealed record SessionPerformance(string SessionId, int Hours, PerformanceSummary Summary);
