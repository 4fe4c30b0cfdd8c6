using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Authentication;

/// <summary>
/// Checks the <c>x-otlp-api-key</c> header against the primary and secondary keys. Both sides are hashed first
/// and compared in constant time, so neither the content nor the length of a key leaks through timing.
/// </summary>
internal sealed class OtlpApiKeyValidator
{
    public const string HeaderName = "x-otlp-api-key";

    private readonly bool _unsecured;
    private readonly byte[]? _primary;
    private readonly byte[]? _secondary;

    public OtlpApiKeyValidator(IOptions<OtlpOptions> options)
    {
        _unsecured = options.Value.AuthMode == OtlpAuthMode.Unsecured;
        _primary = Hash(options.Value.PrimaryApiKey);
        _secondary = Hash(options.Value.SecondaryApiKey);
    }

    public bool IsAuthorized(HttpContext context)
    {
        if (_unsecured)
        {
            return true;
        }

        var values = context.Request.Headers[HeaderName];
        if (values.Count != 1 || Hash(values[0]) is not { } presented)
        {
            return false;
        }

        var primaryMatches = _primary is not null && CryptographicOperations.FixedTimeEquals(presented, _primary);
        var secondaryMatches = _secondary is not null && CryptographicOperations.FixedTimeEquals(presented, _secondary);
        return primaryMatches | secondaryMatches;
    }

    private static byte[]? Hash(string? key) => string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
