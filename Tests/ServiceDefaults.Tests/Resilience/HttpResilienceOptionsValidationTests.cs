using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Resilience;

namespace Observability.ServiceDefaults.Tests.Resilience;

public sealed class HttpResilienceOptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new HttpResilienceOptionsValidator().Validate(Options.DefaultName, new HttpResilienceOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("AttemptTimeout", "00:00:40", "HttpClient:Resilience:AttemptTimeout must be less than HttpClient:Resilience:TotalRequestTimeout")]
    [InlineData("CircuitBreaker:SamplingDuration", "00:00:15", "HttpClient:Resilience:CircuitBreaker:SamplingDuration must be at least twice")]
    [InlineData("CircuitBreaker:FailureRatio", "0", "HttpClient:Resilience:CircuitBreaker:FailureRatio must be greater than 0")]
    [InlineData("CircuitBreaker:MinimumThroughput", "1", "HttpClient:Resilience:CircuitBreaker:MinimumThroughput must be at least 2")]
    [InlineData("RateLimiter:PermitLimit", "0", "HttpClient:Resilience:RateLimiter:PermitLimit must be at least 1")]
    [InlineData("Retry:MaxRetryAttempts", "11", "HttpClient:Resilience:Retry:MaxRetryAttempts must be between 0 and 10")]
    [InlineData("Retry:MaxRetryAfterDelay", "02:00:00", "HttpClient:Resilience:Retry:MaxRetryAfterDelay must be between 00:00:00 and 01:00:00")]
    [InlineData("TotalRequestTimeout", "00:00:00.001", "HttpClient:Resilience:TotalRequestTimeout must be between")]
    public async Task StartAsync_InvalidSetting_FailsNamingTheKey(string key, string value, string expected)
    {
        using var timeout = TestTimeout.Start();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new($"HttpClient:Resilience:{key}", value)]);
        builder.AddHttpClientResilience();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidSettingOfANamedClient_FailsNamingTheClientsKey()
    {
        using var timeout = TestTimeout.Start();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("HttpClient:Resilience:orders:CircuitBreaker:MinimumThroughput", "1")]);
        builder.AddHttpClientResilience();
        builder.Services.AddHttpClient("orders").AddStandardResilienceHandler();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("HttpClient:Resilience:orders:CircuitBreaker:MinimumThroughput must be at least 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task AddStandardResilienceHandler_OnAClientThatHasTheDefaults_KeepsOneHandlerWithTheClientsOptions()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var host = await ResilientClientHost.StartAsync([], ct,
            services => services.AddHttpClient("orders").AddStandardResilienceHandler(options => options.Retry.MaxRetryAttempts = 1));

        using var response = await host.CreateClient("orders").GetAsync(server.Address, ct);

        // One handler with one retry: two attempts (two stacked handlers would make four).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Get_NamedClientSection_OverridesTheSharedSection()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var server = await LoopbackHttpServer.StartAsync(
            (context, _) => LoopbackHttpServer.RespondAsync(context, StatusCodes.Status503ServiceUnavailable), ct);
        await using var host = await ResilientClientHost.StartAsync(
            [new("HttpClient:Resilience:Retry:MaxRetryAttempts", "2"), new("HttpClient:Resilience:billing:Retry:MaxRetryAttempts", "0")], ct,
            services => services.AddHttpClient("billing"));

        using var shared = await host.CreateClient().GetAsync(server.Address, ct);
        var sharedAttempts = server.RequestCount;
        using var billing = await host.CreateClient("billing").GetAsync(server.Address, ct);

        Assert.Equal(3, sharedAttempts);
        Assert.Equal(4, server.RequestCount);
    }
}
