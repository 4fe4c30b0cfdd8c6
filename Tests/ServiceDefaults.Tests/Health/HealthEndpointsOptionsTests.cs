using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Health;

namespace Observability.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointsOptionsTests
{
    private static IHost Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDefaultHealthChecks();
        return builder.Build();
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void ExposeDetails_NotConfigured_DefaultsByEnvironment(string environment, bool expected)
    {
        using var host = Build(environment, []);

        var options = host.Services.GetRequiredService<IOptions<HealthEndpointsOptions>>().Value;

        Assert.Equal(expected, options.Status.ExposeDetails);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CacheDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CheckTimeout);
    }

    [Fact]
    public void ExposeDetails_ConfiguredInProduction_WinsOverEnvironmentDefault()
    {
        using var host = Build("Production", new() { ["HealthChecks:Status:ExposeDetails"] = "true" });

        Assert.True(host.Services.GetRequiredService<IOptions<HealthEndpointsOptions>>().Value.Status.ExposeDetails);
    }

    [Theory]
    [InlineData("HealthChecks:CacheDuration", "-00:00:01")]
    [InlineData("HealthChecks:CacheDuration", "00:05:00")]
    [InlineData("HealthChecks:CheckTimeout", "00:00:00")]
    public async Task StartAsync_InvalidSetting_FailsNamingTheSetting(string key, string value)
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = Build("Production", new() { [key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(ct));

        // The source-generated validator names the option (HealthEndpointsOptions.CacheDuration) and its range.
        Assert.Contains($"HealthEndpointsOptions.{key.Split(':')[^1]}", exception.Message, StringComparison.Ordinal);
    }
}
