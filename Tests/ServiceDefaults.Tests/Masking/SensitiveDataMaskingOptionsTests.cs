using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Tests.Masking;

public sealed class SensitiveDataMaskingOptionsTests
{
    [Fact]
    public void Constructor_Defaults_AllBuiltInsAndNoExtras()
    {
        var options = new SensitiveDataMaskingOptions();

        Assert.True(options.UseBuiltInKeys);
        Assert.Equal(BuiltInValuePatterns.All, options.BuiltInPatterns);
        Assert.Empty(options.Keys);
        Assert.Empty(options.Patterns);
    }

    [Fact]
    public void AddSensitiveDataMasking_ConfigurationSection_BindsEveryOption()
    {
        using var host = BuildHost(new()
        {
            ["Telemetry:Masking:UseBuiltInKeys"] = "false",
            ["Telemetry:Masking:Keys:0"] = "ssn",
            ["Telemetry:Masking:BuiltInPatterns"] = "Jwt, Email",
            ["Telemetry:Masking:Patterns:0"] = "[0-9]{3}-[0-9]{2}-[0-9]{4}",
        });

        var options = host.Services.GetRequiredService<IOptions<SensitiveDataMaskingOptions>>().Value;
        var masker = host.Services.GetRequiredService<SensitiveDataMasker>();

        Assert.False(options.UseBuiltInKeys);
        Assert.Equal(["ssn"], options.Keys);
        Assert.Equal(BuiltInValuePatterns.Jwt | BuiltInValuePatterns.Email, options.BuiltInPatterns);
        Assert.True(masker.IsSensitiveKey("customer.ssn"));
        Assert.False(masker.IsSensitiveKey("password"));
        Assert.Equal("id *** Bearer abc ***@***", masker.MaskText("id 123-45-6789 Bearer abc " + Secrets.Email));
    }

    [Theory]
    [InlineData("Telemetry:Masking:Patterns:1", "(unclosed")]
    [InlineData("Telemetry:Masking:Patterns:1", "(?<=look)behind")]
    public async Task BuildAndStart_InvalidPattern_FailsNamingTheKey(string key, string pattern)
    {
        var settings = new Dictionary<string, string?> { ["Telemetry:Masking:Patterns:0"] = "fine", [key] = pattern };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAndStart_BlankKey_FailsNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { ["Telemetry:Masking:Keys:0"] = "-_." };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("Telemetry:Masking:Keys:0", error.Message, StringComparison.Ordinal);
    }

    // The masker backs the logger factory's scope provider, so a bad setting can fail as early as Build().
    private static async Task BuildAndStartAsync(Dictionary<string, string?> settings)
    {
        using var host = BuildHost(settings);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddSensitiveDataMasking();
        return builder.Build();
    }
}
