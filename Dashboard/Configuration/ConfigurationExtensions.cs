using Microsoft.Extensions.Options;

namespace Observability.Dashboard.Configuration;

/// <summary>Binds the <c>Dashboard:*</c> sections and validates them when the host starts.</summary>
internal static class ConfigurationExtensions
{
    public static IHostApplicationBuilder AddDashboardOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<OtlpOptions>().BindConfiguration(OtlpOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<FrontendOptions>().BindConfiguration(FrontendOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OtlpOptions>, ValidateOtlpOptions>();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, ValidateStorageOptions>();
        return builder;
    }
}
