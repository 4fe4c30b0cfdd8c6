using System.Text.Json;
using Npgsql;

namespace Observability.AppHost.Tests;

/// <summary>The commands the AppHost adds to the dashboard's resource pages act on the running application.</summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class ResourceCommandTests(AppHostFixture fixture)
{
    [Fact]
    public async Task SubmitSampleWorkflow_OnTheGateway_SubmitsARunThatCompletes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var app = fixture.App;
        using var gateway = app.CreateHttpClient("gateway");
        var before = await RunIdsAsync(gateway, cts.Token);

        var result = await app.ResourceCommands.ExecuteCommandAsync("gateway", "submit-sample-workflow", cts.Token);

        Assert.True(result.Success, result.Message);
        var submitted = Assert.Single((await RunIdsAsync(gateway, cts.Token)).Except(before));
        await GatewayWorkflows.WaitForFinalStatusAsync(gateway, submitted, "Completed", cts.Token);
    }

    [Fact]
    public async Task RedriveDeadLetters_OnTheWorker_QueuesTheDeadLetteredRunAgain_AndItCompletes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var app = fixture.App;
        using var gateway = app.CreateHttpClient("gateway");
        var submitted = await GatewayWorkflows.SubmitAsync(gateway, "Draft a runbook for a full disk", "redrive-" + Guid.NewGuid().ToString("N"), cts.Token);
        var runId = submitted.GetProperty("runId").GetGuid();
        int firstAttempts;
        // Waited for in PostgreSQL, not through the gateway: the gateway caches a Completed run (it never changes in
        // the services), and this test changes it behind the services' back.
        await using (var connection = new NpgsqlConnection(await app.GetConnectionStringAsync("workflows", cts.Token)))
        {
            await connection.OpenAsync(cts.Token);
            await using var completed = new NpgsqlCommand("SELECT attempt_count FROM workflow_runs WHERE id = @id AND status = 'Completed'", connection);
            completed.Parameters.AddWithValue("id", runId);
            object? attempts;
            while ((attempts = await completed.ExecuteScalarAsync(cts.Token)) is not int)
            {
                await Task.Delay(200, cts.Token);
            }

            firstAttempts = (int)attempts;
            // As the job processor leaves a run whose job was delivered too often (the stream entry is not needed to re-drive).
            await using var command = new NpgsqlCommand("UPDATE workflow_runs SET status = 'DeadLettered', dead_letter_reason = 'test' WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", runId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(cts.Token));
        }

        await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "DeadLettered", cts.Token);

        var result = await app.ResourceCommands.ExecuteCommandAsync(Worker(app), "redrive-dead-letters", cts.Token);

        Assert.True(result.Success, result.Message);
        var again = await GatewayWorkflows.WaitForFinalStatusAsync(gateway, runId, "Completed", cts.Token);
        Assert.Equal(firstAttempts + 1, again.GetProperty("attemptCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("deadLetterReason").ValueKind);
    }

    /// <summary>The worker (with two replicas the command runs on each; the second finds nothing left to re-drive).</summary>
    private static IResource Worker(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "worker");

    private static async Task<HashSet<Guid>> RunIdsAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        var page = await GatewayWorkflows.GetJsonAsync(gateway, "/api/workflows?sessionId=dashboard&limit=100", cancellationToken);
        return [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("runId").GetGuid())];
    }
}
