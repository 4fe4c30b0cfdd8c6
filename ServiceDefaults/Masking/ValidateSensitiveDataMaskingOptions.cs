using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Rejects unusable <see cref="SensitiveDataMaskingOptions"/> at start (source-generated; the rules that data
/// annotations cannot express are in <see cref="SensitiveDataMaskingOptions.Validate"/>).
/// </summary>
[OptionsValidator]
internal sealed partial class ValidateSensitiveDataMaskingOptions : IValidateOptions<SensitiveDataMaskingOptions>;
