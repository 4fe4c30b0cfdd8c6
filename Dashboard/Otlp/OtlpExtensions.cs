using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Apis;
using Observability.Dashboard.Authentication;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Otlp;

/// <summary>Registers the OTLP receivers' services and the browser-export CORS policy.</summary>
internal static class OtlpExtensions
{
    public static IHostApplicationBuilder AddOtlpReceivers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<OtlpIngestor>();
        services.AddSingleton<ExportLimiter>();
        services.AddSingleton<GrpcExportServices>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<OtlpOptions>>((cors, otlp) => cors.AddPolicy(OtlpHttpApi.CorsPolicyName, policy => policy
            .WithOrigins([.. otlp.Value.CorsAllowedOrigins])
            .WithMethods(HttpMethods.Post)
            .WithHeaders("content-type", "content-encoding", OtlpApiKeyValidator.HeaderName)));
        return builder;
    }
}
