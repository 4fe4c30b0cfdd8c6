using Observability.Worker.Jobs;
using Observability.Worker.Monitoring;

namespace Observability.Worker.Tests.Jobs;

public sealed class OptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultConsumerOptions_Succeed()
    {
        Assert.True(new JobConsumerOptionsValidator().Validate(null, new JobConsumerOptions()).Succeeded);
    }

    [Fact]
    public void Validate_BadConsumerOptions_NameEachKey()
    {
        var options = new JobConsumerOptions
        {
            Concurrency = 0,
            ConsumerName = " ",
            PollInterval = TimeSpan.FromMinutes(5),
            ClaimIdleTime = TimeSpan.Zero,
            MaintenanceInterval = TimeSpan.Zero,
            MaxDeliveries = 0,
            MaxParallelSteps = 0,
            ShutdownTimeout = TimeSpan.FromSeconds(-1),
            StuckRunTimeout = TimeSpan.Zero,
            SweepInterval = TimeSpan.Zero,
        };

        var result = new JobConsumerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Concurrency", "ConsumerName", "PollInterval", "ClaimIdleTime", "MaintenanceInterval", "MaxDeliveries", "MaxParallelSteps", "ShutdownTimeout", "StuckRunTimeout", "SweepInterval" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith($"Workflows:Worker:{key} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_MaintenanceNotShorterThanClaimIdleTime_FailsNamingBoth()
    {
        var options = new JobConsumerOptions { ClaimIdleTime = TimeSpan.FromSeconds(10), MaintenanceInterval = TimeSpan.FromSeconds(10) };

        var result = new JobConsumerOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Workflows:Worker:MaintenanceInterval must be shorter than Workflows:Worker:ClaimIdleTime", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultThresholds_SucceedWithDocumentedValues()
    {
        var options = new PerformanceThresholdsOptions();

        Assert.True(new PerformanceThresholdsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(600), options.WorkflowDuration);
        Assert.Equal(TimeSpan.FromSeconds(120), options.StepDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LlmCallDuration);
        Assert.Equal(1.00m, options.CostPerWorkflow);
        Assert.Equal(0.05, options.ErrorRate);
    }

    [Fact]
    public void Validate_BadThresholds_NameEachKey()
    {
        var options = new PerformanceThresholdsOptions
        {
            WorkflowDuration = TimeSpan.Zero,
            StepDuration = TimeSpan.Zero,
            LlmCallDuration = TimeSpan.FromSeconds(-1),
            ErrorRateWindow = TimeSpan.Zero,
            CostPerWorkflow = -1,
            ErrorRate = 1.5,
            ErrorRateMinimumRuns = 0,
        };

        var result = new PerformanceThresholdsOptionsValidator().Validate(null, options);

        foreach (var key in new[] { "WorkflowDuration", "StepDuration", "LlmCallDuration", "ErrorRateWindow", "CostPerWorkflow", "ErrorRate", "ErrorRateMinimumRuns" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith($"Workflows:Thresholds:{key} ", StringComparison.Ordinal));
        }
    }
}
