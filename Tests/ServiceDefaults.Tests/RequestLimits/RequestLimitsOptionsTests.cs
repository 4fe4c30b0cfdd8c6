using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.RequestLimits;

namespace Observability.ServiceDefaults.Tests.RequestLimits;

public sealed class RequestLimitsOptionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddRequestLimits();
        return builder.Build();
    }

    [Fact]
    public void Defaults_AreKestrelsOwn_AndKestrelGetsFourTimesThem()
    {
        using var host = Build([]);

        var limits = host.Services.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        var kestrel = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        var defaults = new KestrelServerOptions().Limits;
        Assert.Equal(defaults.MaxRequestHeadersTotalSize, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(defaults.MaxRequestHeaderCount, limits.MaxRequestHeaderCount);
        Assert.Equal(defaults.MaxRequestLineSize, limits.MaxRequestLineSize);
        Assert.Equal(4 * defaults.MaxRequestHeadersTotalSize, kestrel.MaxRequestHeadersTotalSize);
        Assert.Equal(4 * defaults.MaxRequestHeaderCount, kestrel.MaxRequestHeaderCount);
        Assert.Equal(4 * defaults.MaxRequestLineSize, kestrel.MaxRequestLineSize);
        Assert.Equal(4 * defaults.MaxRequestHeadersTotalSize, kestrel.Http2.MaxRequestHeaderFieldSize);
    }

    [Theory]
    [InlineData("RequestLimits:MaxRequestHeadersTotalSize", "100")]
    [InlineData("RequestLimits:MaxRequestHeaderCount", "0")]
    [InlineData("RequestLimits:MaxRequestLineSize", "1000000")]
    [InlineData("RequestLimits:KestrelBackstopFactor", "0")]
    public async Task StartAsync_OutOfRange_FailsNamingTheKey(string key, string value)
    {
        using var host = Build(new() { [key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BackstopPastKestrelsRequestBuffer_FailsNamingBothKeys()
    {
        using var host = Build(new() { ["RequestLimits:MaxRequestHeadersTotalSize"] = "131072", ["RequestLimits:KestrelBackstopFactor"] = "16" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("RequestLimits:MaxRequestHeadersTotalSize", exception.Message, StringComparison.Ordinal);
        Assert.Contains("RequestLimits:KestrelBackstopFactor", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/workflows?sessionId=ssssssssss&limit=5", "sessionId", 20)]
    [InlineData("/api/sessions/pppppppppppppppppppppppppppppppp/performance?hours=1", "path", 58)]
    [InlineData("/x?a%20b=cccccccccccccccccccccccccc", "a b", 32)]
    [InlineData("/x?=cccccccccccccccccccccccccccc", "query", 29)]
    public void LargestTargetPart_NamesTheLargestQueryParameterOrThePath(string target, string part, int size) =>
        Assert.Equal((part, size), RequestLimitsMiddleware.LargestTargetPart(target));
}
