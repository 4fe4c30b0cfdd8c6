namespace Observability.Worker.Monitoring;

/// <summary>Limits whose breach raises an alert (configuration section <c>Workflows:Thresholds</c>).</summary>
internal sealed class PerformanceThresholdsOptions
{
    public const string SectionName = "Workflows:Thresholds";

    /// <summary><c>Workflows:Thresholds:WorkflowDuration</c>: longest acceptable run (&gt; 0). Default 600 s.</summary>
    public TimeSpan WorkflowDuration { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary><c>Workflows:Thresholds:StepDuration</c>: longest acceptable step (&gt; 0). Default 120 s.</summary>
    public TimeSpan StepDuration { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary><c>Workflows:Thresholds:LlmCallDuration</c>: longest acceptable LLM call (&gt; 0). Default 30 s.</summary>
    public TimeSpan LlmCallDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Workflows:Thresholds:CostPerWorkflow</c>: highest acceptable cost of one run in USD (≥ 0). Default 1.00.</summary>
    public decimal CostPerWorkflow { get; set; } = 1.00m;

    /// <summary><c>Workflows:Thresholds:ErrorRate</c>: highest acceptable share of failed runs in the window (0–1). Default 0.05.</summary>
    public double ErrorRate { get; set; } = 0.05;

    /// <summary><c>Workflows:Thresholds:ErrorRateWindow</c>: the sliding window of finished runs the error rate covers (&gt; 0). Default 5 min.</summary>
    public TimeSpan ErrorRateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Workflows:Thresholds:ErrorRateMinimumRuns</c>: runs the window needs before the rate is judged (≥ 1). Default 20.</summary>
    public int ErrorRateMinimumRuns { get; set; } = 20;
}
