using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// Binds <c>HttpClient:Resilience</c> into every client's options, then overlays <c>HttpClient:Resilience:{name}</c>
/// for a named client, so one client can differ from the shared defaults.
/// </summary>
internal sealed class HttpResilienceOptionsSetup(IConfiguration configuration) : IConfigureNamedOptions<HttpResilienceOptions>
{
    public void Configure(HttpResilienceOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, HttpResilienceOptions options)
    {
        configuration.GetSection(HttpResilienceOptions.SectionName).Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            configuration.GetSection($"{HttpResilienceOptions.SectionName}:{name}").Bind(options);
        }
    }
}
