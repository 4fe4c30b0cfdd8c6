using System.Security.Cryptography;
using System.Text;

namespace Observability.Redis.Scripting;

/// <summary>A Lua script with its SHA1, run with EVALSHA first and EVAL only when the server does not know it yet.</summary>
public sealed class RedisScript
{
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
#pragma warning disable CA5350 // SHA1 is what Redis names scripts by; it is an identifier here, not a security measure.
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
#pragma warning restore CA5350
    }

    public string Source { get; }

    /// <summary>The lower-case hex SHA1 that EVALSHA and SCRIPT LOAD use.</summary>
    public string Sha1 { get; }
}
