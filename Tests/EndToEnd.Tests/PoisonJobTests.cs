using Npgsql;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>
/// A job that fails on every delivery is dead-lettered after <c>Workflows:Worker:MaxDeliveries</c> (2 here), and the
/// reason is visible through the API. The failure is real: the database refuses to start this one run (a trigger
/// raises an error on its Queued → Running update), so each delivery throws and stays unacknowledged until claimed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PoisonJobTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Job_FailsEveryDelivery_DeadLetteredWithReasonVisibleThroughApi()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        var suffix = Guid.NewGuid().ToString("N");
        var task = $"poison {suffix}";
        await RefuseStartAsync(platform.DatabaseConnectionString, suffix, task, timeout.Token);

        var run = await platform.Api.SubmitAsync(task, timeout.Token);
        var final = await platform.WaitForFinalAsync(run.RunId, TimeSpan.FromSeconds(60), timeout.Token);

        Assert.True(final.Status == "DeadLettered", $"{final}{Environment.NewLine}{platform.Logs}");
        Assert.False(string.IsNullOrWhiteSpace(final.DeadLetterReason));
        Assert.Contains("MaxDeliveries", final.DeadLetterReason, StringComparison.Ordinal);
        Assert.Empty(final.Steps);
    }

    private static async Task RefuseStartAsync(string connectionString, string suffix, string task, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE FUNCTION refuse_start_{suffix}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'run % cannot start (test poison)', NEW.id; END $$;
            CREATE TRIGGER refuse_start_{suffix} BEFORE UPDATE ON workflow_runs FOR EACH ROW
            WHEN (NEW.status = 'Running' AND NEW.task = '{task}') EXECUTE FUNCTION refuse_start_{suffix}();
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
