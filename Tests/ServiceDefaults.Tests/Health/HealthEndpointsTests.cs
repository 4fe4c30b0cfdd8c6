using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Observability.ServiceDefaults.Health;

namespace Observability.ServiceDefaults.Tests.Health;

[Trait("Category", "Integration")]
public sealed class HealthEndpointsTests
{
    private const string SecretMessage = "connection to db-7.internal:5432 refused for user 'svc_admin'";

    private static Task<TestWebHost> StartAsync(FakeTimeProvider time, string environment, Action<IHealthChecksBuilder> addChecks, CancellationToken ct) =>
        TestWebHost.StartAsync(
            builder =>
            {
                builder.AddDefaultHealthChecks();
                builder.Services.AddSingleton<TimeProvider>(time);
                addChecks(builder.Services.AddHealthChecks());
            },
            app => app.MapHealthEndpoints(),
            ct,
            environment);

    [Theory]
    [InlineData("/alive", HttpStatusCode.OK, "Healthy")]
    [InlineData("/ready", HttpStatusCode.OK, "Degraded")]
    [InlineData("/health", HttpStatusCode.ServiceUnavailable, "Unhealthy")]
    public async Task Probe_ChecksOfEachTag_AnswersItsOwnStatus(string path, HttpStatusCode expectedCode, string expectedBody)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(new FakeTimeProvider(), "Production", checks => checks
            .AddCheck("cache", () => HealthCheckResult.Degraded("slow"), [HealthTags.Ready])
            .AddCheck("batch-queue", () => HealthCheckResult.Unhealthy("stuck")), ct);

        using var response = await host.Client.GetAsync(path, ct);

        Assert.Equal(expectedCode, response.StatusCode);
        Assert.Equal(expectedBody, await response.Content.ReadAsStringAsync(ct));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_HeadRequest_AnswersStatusCodeWithoutBody()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(new FakeTimeProvider(), "Production", checks => checks
            .AddCheck("database", () => HealthCheckResult.Unhealthy("down"), [HealthTags.Ready]), ct);

        using var readyRequest = new HttpRequestMessage(HttpMethod.Head, "/ready");
        using var aliveRequest = new HttpRequestMessage(HttpMethod.Head, "/alive");
        using var ready = await host.Client.SendAsync(readyRequest, ct);
        using var alive = await host.Client.SendAsync(aliveRequest, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Empty(await alive.Content.ReadAsByteArrayAsync(ct));
    }

    [Fact]
    public async Task MapHealthEndpoints_EveryEndpoint_IsExcludedFromHttpLogging()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(new FakeTimeProvider(), "Production", _ => { }, ct);

        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var path in new[] { "/alive", "/ready", "/health", "/status" })
        {
            var endpoint = Assert.Single(endpoints, e => e.RoutePattern.RawText == path);
            Assert.Equal(HttpLoggingFields.None, endpoint.Metadata.GetMetadata<HttpLoggingAttribute>()?.LoggingFields);
        }
    }

    [Fact]
    public async Task Status_Production_ShowsNamesAndStatusesButNoExceptionText()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(new FakeTimeProvider(), "Production", checks => checks
            .AddCheck("database", () => throw new InvalidOperationException(SecretMessage), [HealthTags.Ready]), ct);

        using var response = await host.Client.GetAsync("/status", ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("db-7", body, StringComparison.Ordinal);
        Assert.DoesNotContain("svc_admin", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var database = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Equal(["name", "status"], database.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Status_Development_ShowsDetailsOfEachCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(new FakeTimeProvider(), "Development", checks => checks
            .AddCheck("database", () => throw new InvalidOperationException(SecretMessage), [HealthTags.Ready]), ct);

        using var response = await host.Client.GetAsync("/status", ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));

        var database = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database");
        Assert.Equal(SecretMessage, database.GetProperty("error").GetString());
        Assert.Equal(SecretMessage, database.GetProperty("description").GetString());
        Assert.Equal(["ready"], database.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(database.GetProperty("durationMilliseconds").GetDouble() >= 0);
        var self = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == HealthExtensions.SelfCheckName);
        Assert.Equal(["live"], self.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Status_AfterTimePasses_ReportsServiceIdentityAndUptime()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        await using var host = await StartAsync(time, "Staging", _ => { }, ct);
        time.Advance(TimeSpan.FromSeconds(90));

        using var response = await host.Client.GetAsync("/status", ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", root.GetProperty("status").GetString());
        Assert.Equal("Staging", root.GetProperty("environment").GetString());
        Assert.Equal(host.App.Environment.ApplicationName, root.GetProperty("service").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Equal(90, root.GetProperty("uptimeSeconds").GetDouble());
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(90), root.GetProperty("startedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Status_OtelServiceNameConfigured_UsesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await TestWebHost.StartAsync(
            builder =>
            {
                builder.Configuration["OTEL_SERVICE_NAME"] = "orders-api";
                builder.AddDefaultHealthChecks();
            },
            app => app.MapHealthEndpoints(),
            ct);

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/status", ct));

        Assert.Equal("orders-api", json.RootElement.GetProperty("service").GetString());
    }
}
