using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Authentication;

/// <summary>Writes the login link at start, and a warning for every part left unsecured.</summary>
internal sealed class StartupBanner(
    ILogger<StartupBanner> logger,
    BrowserToken token,
    IOptions<FrontendOptions> frontend,
    IOptions<OtlpOptions> otlp,
    IServer server,
    IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
            if (frontend.Value.AuthMode == FrontendAuthMode.Unsecured)
            {
                Log.FrontendUnsecured(logger);
            }
            else
            {
                Log.LoginLink(logger, $"{address.TrimEnd('/')}/login?t={token.Value}");
            }

            if (otlp.Value.AuthMode == OtlpAuthMode.Unsecured)
            {
                Log.OtlpUnsecured(logger);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
