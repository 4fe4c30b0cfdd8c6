using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Masking;

/// <summary>Placeholder owned by the Masking work item; replaced by the real wiring.</summary>
public static class MaskingExtensions
{
    /// <summary>Registers the Masking defaults.</summary>
    public static TBuilder AddSensitiveDataMasking<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder => builder;
}
