using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Authentication;

/// <summary>Wires OTLP API-key checks and browser-token cookie authentication.</summary>
internal static class AuthenticationExtensions
{
    public const string BrowserPolicy = "DashboardBrowser";
    public const string CookieName = ".Observability.Dashboard";

    public static IHostApplicationBuilder AddDashboardAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<OtlpApiKeyValidator>();
        services.AddSingleton<OtlpApiKeyFilter>();
        services.AddSingleton<BrowserToken>();
        services.AddHostedService<StartupBanner>();

        services.AddDataProtection().SetApplicationName("Observability.Dashboard");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, loggers) =>
        {
            // Cookies stay valid across restarts when telemetry does.
            if (storage.Value.IsPersistent)
            {
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(storage.Value.DataDirectory!, "keys")), loggers);
            }
        });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder().AddPolicy(BrowserPolicy, policy => policy.RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http
                && http.RequestServices.GetRequiredService<IOptions<FrontendOptions>>().Value.AuthMode == FrontendAuthMode.Unsecured)));
        return builder;
    }

    /// <summary>Requires the browser cookie (unless <c>Dashboard:Frontend:AuthMode</c> is Unsecured).</summary>
    public static TBuilder RequireBrowser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(BrowserPolicy);
}
