using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Masking;

/// <summary>Masks secrets and personal data in spans and log records before anything leaves the process.</summary>
public static class MaskingExtensions
{
    /// <summary>
    /// Binds <see cref="SensitiveDataMaskingOptions"/> from <c>Telemetry:Masking</c> (validated at start), adds
    /// the masking span and log processors to the OpenTelemetry providers, ahead of the exporters, and gives the
    /// logger factory a scope provider that masks logging scopes.
    /// </summary>
    public static TBuilder AddSensitiveDataMasking<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSensitiveDataMaskingProcessors();
        return builder;
    }

    /// <summary>
    /// Registers the masker and adds the masking processors to every tracer and logger provider built from
    /// <paramref name="services"/> (idempotent). Call it before the exporters are added.
    /// </summary>
    internal static IServiceCollection AddSensitiveDataMaskingProcessors(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MaskingActivityProcessor)))
        {
            return services;
        }

        services.AddSensitiveDataMasker();
        services.TryAddSingleton<IExternalScopeProvider>(sp => new MaskingScopeProvider(sp.GetRequiredService<SensitiveDataMasker>()));
        services.AddSingleton<MaskingActivityProcessor>();
        services.AddSingleton<MaskingLogProcessor>();
        services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddProcessor(sp => sp.GetRequiredService<MaskingActivityProcessor>()));
        services.ConfigureOpenTelemetryLoggerProvider(logging =>
            logging.AddProcessor(sp => sp.GetRequiredService<MaskingLogProcessor>()));
        return services;
    }

    /// <summary>Registers the options, their validator and the one <see cref="SensitiveDataMasker"/> (idempotent).</summary>
    internal static IServiceCollection AddSensitiveDataMasker(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SensitiveDataMasker)))
        {
            return services;
        }

        services.AddOptions<SensitiveDataMaskingOptions>()
            .BindConfiguration(SensitiveDataMaskingOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SensitiveDataMaskingOptions>, ValidateSensitiveDataMaskingOptions>());
        services.AddSingleton(sp => new SensitiveDataMasker(sp.GetRequiredService<IOptions<SensitiveDataMaskingOptions>>().Value));
        return services;
    }
}
