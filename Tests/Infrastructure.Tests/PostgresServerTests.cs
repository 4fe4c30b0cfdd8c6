using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;

namespace Observability.Infrastructure.Tests;

[Trait("Category", "Integration")]
public sealed class PostgresServerTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task CreateDatabase_TwoTests_GetSeparateDatabases()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await postgres.CreateDatabaseAsync(ct);
        var second = await postgres.CreateDatabaseAsync(ct);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand("CREATE TABLE items (id int); INSERT INTO items VALUES (1);", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name = 'items'", other);
        Assert.Equal(0L, await query.ExecuteScalarAsync(ct));
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
    }

    [Fact]
    public async Task Server_RunsVersion15OrNewerWithPasswordAuthentication()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(postgres.Server.AdminConnectionString);
        await connection.OpenAsync(ct);
        Assert.True(connection.PostgreSqlVersion.Major >= 15);

        var wrong = new NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Password = "wrong", Pooling = false };
        await using var refused = new NpgsqlConnection(wrong.ConnectionString);
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync(ct));
        Assert.Equal("28P01", error.SqlState);
    }

    [Fact]
    public async Task StartAsync_ExtraSettings_ApplyAndSurviveRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(["work_mem=7MB", "shared_preload_libraries=pg_stat_statements"]);
        Assert.Equal(("7MB", "pg_stat_statements"), await SettingsAsync(server, ct));

        await server.StopAsync();
        await server.RestartAsync();

        Assert.Equal(("7MB", "pg_stat_statements"), await SettingsAsync(server, ct));
    }

    private static async Task<(string WorkMem, string Preloaded)> SettingsAsync(PostgresServer server, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_setting('work_mem'), current_setting('shared_preload_libraries')", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetString(0), reader.GetString(1));
    }

    [Fact]
    public async Task Dispose_StopsProcessFreesPortAndDeletesDirectory()
    {
        var server = await PostgresServer.StartAsync();
        var port = server.Port;
        var directory = server.DirectoryPath;
        Assert.True(LoopbackPort.IsListening(port));

        await server.DisposeAsync();

        Assert.False(LoopbackPort.IsListening(port), "postgres still accepts connections after dispose");
        Assert.False(Directory.Exists(directory), "the temporary directory was not deleted");
        Assert.Empty(ProcFs.WithCommandLineContaining(directory));
    }
}
