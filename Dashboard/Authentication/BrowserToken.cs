using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Authentication;

/// <summary>The token a browser exchanges for a cookie: <c>Dashboard:Frontend:BrowserToken</c>, or a random one made at start.</summary>
internal sealed class BrowserToken
{
    private readonly byte[] _hash;

    public BrowserToken(IOptions<FrontendOptions> options)
    {
        IsGenerated = string.IsNullOrEmpty(options.Value.BrowserToken);
        Value = IsGenerated ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.Value.BrowserToken!;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }

    public string Value { get; }

    public bool IsGenerated { get; }

    public bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}
