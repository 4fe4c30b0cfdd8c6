using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>Head-size limits answered with problem details instead of Kestrel's empty refusals.</summary>
public static class RequestLimitsExtensions
{
    /// <summary>
    /// Enforces <see cref="RequestLimitsOptions"/> (section <c>RequestLimits</c>, validated at start) in a middleware
    /// at the front of the pipeline that answers 431 or 414 problem details naming the limit and the header or
    /// request-target part at fault, and raises Kestrel's own limits to the backstop
    /// (<see cref="RequestLimitsOptions.KestrelBackstopFactor"/>). Registers problem details if the service has not.
    /// </summary>
    public static TBuilder AddRequestLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(RequestLimitsStartupFilter)))
        {
            return builder;
        }

        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequestLimitsOptions>, ValidateRequestLimitsOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelBackstopSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RequestLimitsStartupFilter>());
        services.AddProblemDetails();
        return builder;
    }
}
