using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>Rejects unusable <see cref="HealthEndpointsOptions"/> at start (source-generated from their annotations).</summary>
[OptionsValidator]
internal sealed partial class ValidateHealthEndpointsOptions : IValidateOptions<HealthEndpointsOptions>;
