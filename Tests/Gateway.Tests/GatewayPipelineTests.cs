using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class GatewayPipelineTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task OpenApi_Document_DescribesEveryEndpointAndTheSubmitBody()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        var document = await gateway.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", timeout.Token);

        var paths = document.GetProperty("paths");
        foreach (var path in (string[])["/api/workflows", "/api/workflows/{id}", "/api/workflows/{id}/cancel", "/api/observability/performance/{sessionId}", "/api/observability/traces/{runId}", "/api/sessions/{sessionId}/events-ticket"])
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var submit = paths.GetProperty("/api/workflows").GetProperty("post");
        Assert.True(submit.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(submit.GetProperty("responses").TryGetProperty("422", out _));
        var accepted = submit.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = ResolveSchema(document, accepted);
        Assert.True(schema.GetProperty("properties").TryGetProperty("eventsTicket", out _), schema.ToString());
        Assert.True(schema.GetProperty("properties").TryGetProperty("expiresAt", out _), schema.ToString());
        foreach (var (path, name) in new[] { ("/api/workflows", "limit"), ("/api/observability/performance/{sessionId}", "hours") })
        {
            var parameter = paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == name);
            var type = ResolveSchema(document, parameter.GetProperty("schema")).GetProperty("type");
            Assert.True(type.ToString().Contains("integer", StringComparison.Ordinal), $"{name}: {parameter}");
        }

        var ticket = paths.GetProperty("/api/sessions/{sessionId}/events-ticket").GetProperty("post").GetProperty("responses");
        Assert.True(ticket.TryGetProperty("200", out _));
        Assert.True(ticket.TryGetProperty("400", out _));
    }

    private static JsonElement ResolveSchema(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        // "#/components/schemas/Name"
        var name = reference.GetString()![(reference.GetString()!.LastIndexOf('/') + 1)..];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    [Fact]
    public async Task Get_WhenTheDatabaseIsGone_Returns500ProblemWithoutExceptionDetails()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, new Dictionary<string, string?>
        {
            ["environment"] = "Production",

            // The failure is expected: keep its error logs out of the test output.
            ["Logging:LogLevel:Default"] = "None",
        });
        using (var warmUp = await gateway.Client.GetAsync($"/api/workflows/{Guid.NewGuid()}", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, warmUp.StatusCode);
        }

        var database = new NpgsqlConnectionStringBuilder(gateway.DatabaseConnectionString).Database;
        await using (var admin = new NpgsqlConnection(postgres.Server.AdminConnectionString))
        {
            await admin.OpenAsync(timeout.Token);
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(timeout.Token);
        }

        using var response = await gateway.Client.GetAsync($"/api/workflows/{Guid.NewGuid()}", timeout.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.Equal(500, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Post_WhenPostgreSqlIsOutOfReach_Returns503ProblemWithRetryAfter()
    {
        using var timeout = TestTimeout.Start();
        // A loopback port nothing listens on: every connection is refused, as while PostgreSQL restarts.
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Port = LoopbackPort.GetFree(), Database = "workflows" };
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["ConnectionStrings:workflows"] = unreachable.ConnectionString,
            ["Workflows:Database:ApplyMigrationsAtStartup"] = "false",
            ["Logging:LogLevel:Default"] = "None",
        });

        using var response = await gateway.SubmitAsync(new { task = "Do the thing", sessionId = "s-db-down" }, timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.Equal(503, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.GetAsync("/api/nothing-here", timeout.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Submit_NotJson_Returns415Problem()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var content = new StringContent("task=hello");
        using var response = await gateway.Client.PostAsync("/api/workflows", content, timeout.Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
