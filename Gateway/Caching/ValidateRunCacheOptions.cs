using Microsoft.Extensions.Options;

namespace Observability.Gateway.Caching;

/// <summary>Checks <see cref="RunCacheOptions"/> at start-up (source-generated; the rules are the options' own <c>Validate</c>).</summary>
[OptionsValidator]
internal sealed partial class ValidateRunCacheOptions : IValidateOptions<RunCacheOptions>;
