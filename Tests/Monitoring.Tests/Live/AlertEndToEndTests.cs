using Observability.TestInfrastructure.Postgres;

namespace Observability.Monitoring.Tests.Live;

/// <summary>
/// An induced error burst — a worker whose simulated LLM fails every call — fires <c>LlmProviderHighErrorRatio</c> in
/// Prometheus, reaches Alertmanager and its Slack receiver, and resolves once a healthy worker takes over.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AlertEndToEndTests(PostgresServerFixture postgres)
{
    private const string Alert = "LlmProviderHighErrorRatio";

    [Fact]
    public async Task LlmErrorBurst_FiresThroughAlertmanager_ResolvesWhenErrorsStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var failing = new Dictionary<string, string> { ["Llm__Simulated__FailureRate"] = "1" };
        await using var stack = await MonitoringStack.StartAsync(postgres.Server, [failing], withAlertmanager: true, ct);
        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = SubmitContinuouslyAsync(stack, traffic.Token);
        try
        {
            await Poll.UntilAsync(
                stack.Api.AlertsAsync, alerts => alerts.Contains((Alert, "firing")), TimeSpan.FromSeconds(120),
                alerts => $"Prometheus alerts: {string.Join(", ", alerts)}{Environment.NewLine}{stack.Logs}", ct);
            await Poll.UntilAsync(
                stack.Api.AlertmanagerAlertsAsync, alerts => alerts.Contains(Alert), TimeSpan.FromSeconds(60),
                alerts => $"Alertmanager alerts: {string.Join(", ", alerts)}", ct);
            await Poll.UntilAsync(
                _ => Task.FromResult(stack.Slack!.Bodies.ToArray()), bodies => bodies.Any(b => b.Contains(Alert, StringComparison.Ordinal)), TimeSpan.FromSeconds(90),
                bodies => $"Slack received: {string.Join(Environment.NewLine, bodies)}", ct);

            // The errors stop: a healthy replica takes over and the failing one leaves (and leaves the targets).
            var failingWorker = stack.Workers[0];
            await stack.StartWorkerAsync(new Dictionary<string, string>());
            await stack.StopWorkerAsync(failingWorker);

            await Poll.UntilAsync(
                stack.Api.AlertsAsync, alerts => !alerts.Any(a => a.Name == Alert), TimeSpan.FromSeconds(120),
                alerts => $"Prometheus alerts: {string.Join(", ", alerts)}", ct);
            await Poll.UntilAsync(
                stack.Api.AlertmanagerAlertsAsync, alerts => !alerts.Contains(Alert), TimeSpan.FromSeconds(60),
                alerts => $"Alertmanager alerts: {string.Join(", ", alerts)}", ct);
        }
        finally
        {
            await traffic.CancelAsync();
            await load;
        }

        var slack = string.Join(Environment.NewLine, stack.Slack!.Bodies);
        Assert.Contains($"[FIRING] {Alert} (high)", slack, StringComparison.Ordinal);
        Assert.Contains("docs/runbooks/llm-provider-high-error-ratio.md", slack, StringComparison.Ordinal);
    }

    private static async Task SubmitContinuouslyAsync(MonitoringStack stack, CancellationToken cancellationToken)
    {
        using var gateway = new HttpClient { BaseAddress = stack.Gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            while (true)
            {
                await SampleTraffic.SubmitAsync(gateway, cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Traffic stops with the test.
        }
    }
}
