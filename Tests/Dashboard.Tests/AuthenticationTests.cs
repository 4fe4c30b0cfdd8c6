using System.Net;

namespace Observability.Dashboard.Tests;

/// <summary>OTLP API keys, the browser token cookie, and the explicit unsecured modes.</summary>
[Trait("Category", "Integration")]
public sealed class AuthenticationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("primary-key-for-test")]
    public async Task Export_MissingOrWrongApiKey_Returns401(string? apiKey)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient(apiKey);
        using var response = await ApiJson.PostJsonAsync(client, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, server.GetService<Storage.LogStore>().Count);
    }

    [Theory]
    [InlineData(DashboardServer.PrimaryKey)]
    [InlineData(DashboardServer.SecondaryKey)]
    public async Task Export_PrimaryOrSecondaryKey_IsAccepted(string apiKey)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient(apiKey);
        using var response = await ApiJson.PostJsonAsync(client, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.GetService<Storage.LogStore>().Count);
    }

    [Fact]
    public async Task Export_UnsecuredModeConfigured_AcceptsWithoutKey()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start(new Dictionary<string, string?>
        {
            ["Dashboard:Otlp:AuthMode"] = "Unsecured",
            ["Dashboard:Otlp:PrimaryApiKey"] = null,
        });
        using var client = server.CreateOtlpClient(apiKey: null);
        using var response = await ApiJson.PostJsonAsync(client, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Start_ApiKeyModeWithoutKey_FailsNamingTheSetting()
    {
        var exception = Assert.ThrowsAny<Exception>(() => DashboardServer.Start(new Dictionary<string, string?> { ["Dashboard:Otlp:PrimaryApiKey"] = "" }));
        Assert.Contains("Dashboard:Otlp:PrimaryApiKey", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryApi_WithoutCookie_Returns401AndWrongTokenIsRefused()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var api = await anonymous.GetAsync("/api/resources", timeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var login = await anonymous.GetAsync("/login?t=not-the-token", timeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task QueryApi_AfterTokenLogin_IsAllowedAndReportsSecured()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
        Assert.False(resources.GetProperty("unsecured").GetBoolean());
    }

    [Fact]
    public async Task QueryApi_UnsecuredFrontend_IsOpenAndSaysSo()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start(new Dictionary<string, string?> { ["Dashboard:Frontend:AuthMode"] = "Unsecured" });
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var resources = await ApiJson.GetAsync(anonymous, "/api/resources", timeout.Token);
        Assert.True(resources.GetProperty("unsecured").GetBoolean());
    }

    [Fact]
    public async Task OtlpCors_ConfiguredOrigin_PreflightAllowsApiKeyHeader()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start(new Dictionary<string, string?> { ["Dashboard:Otlp:CorsAllowedOrigins:0"] = "http://app.example" });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        preflight.Headers.Add("Origin", "http://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-otlp-api-key");
        using var response = await client.SendAsync(preflight, timeout.Token);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://app.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));

        using var other = new HttpRequestMessage(HttpMethod.Options, "/v1/traces");
        other.Headers.Add("Origin", "http://evil.example");
        other.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await client.SendAsync(other, timeout.Token);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
