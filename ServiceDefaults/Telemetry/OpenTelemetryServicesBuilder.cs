using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Binds the SDK's <see cref="IOpenTelemetryBuilder"/> extensions (<c>WithTracing</c>, <c>WithMetrics</c>) to the
/// host's <see cref="IServiceCollection"/>, so the tracer and meter providers are host singletons built from the host's
/// service provider: every <c>services.ConfigureOpenTelemetry{Tracer,Meter,Logger}Provider(...)</c> registration applies.
/// This is what <c>services.AddOpenTelemetry()</c> of OpenTelemetry.Extensions.Hosting does, which the registry lacks.
/// </summary>
internal sealed class OpenTelemetryServicesBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
