using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Tests;

public sealed class WorkflowsDatabaseOptionsTests
{
    [Fact]
    public async Task StartAsync_NoConnectionString_FailsNamingTheKey()
    {
        using var timeout = TestTimeout.Start();
        using var host = Build(new Dictionary<string, string?>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("ConnectionStrings:workflows is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CommandTimeoutOutOfRange_FailsNamingTheKey()
    {
        using var timeout = TestTimeout.Start();
        using var host = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflows"] = "Host=127.0.0.1;Database=none",
            ["Workflows:Database:CommandTimeout"] = "00:00:00.5",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("CommandTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:10:00", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public async Task StartAsync_MaxBatchSizeOutOfRange_FailsNamingTheKey(string maxBatchSize)
    {
        using var timeout = TestTimeout.Start();
        using var host = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflows"] = "Host=127.0.0.1;Database=none",
            ["Workflows:Database:MaxBatchSize"] = maxBatchSize,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(timeout.Token));

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddWorkflowsDatabase();
        return builder.Build();
    }
}
