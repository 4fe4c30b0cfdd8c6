using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Observability.SampleTraffic;

/// <summary>The sample traffic's own wiring.</summary>
internal static class SampleTrafficExtensions
{
    /// <summary>Registers the options (validated at start), the gateway's typed client and the submitting loop.</summary>
    public static IHostApplicationBuilder AddSampleTraffic(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SampleTrafficOptions>().BindConfiguration(SampleTrafficOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SampleTrafficOptions>, ValidateSampleTrafficOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<GatewayClient>();
        services.AddHostedService<SampleTrafficService>();
        return builder;
    }
}
