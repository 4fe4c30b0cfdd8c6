using System.Globalization;
using Microsoft.Extensions.AI;

namespace Observability.Worker.Llm;

/// <summary>A stable 64-bit FNV-1a hash of a request, the same in every process and run (unlike string hash codes).</summary>
internal static class RequestFingerprint
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Compute(int seed, string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var hash = Add(OffsetBasis, seed.ToString(CultureInfo.InvariantCulture));
        hash = Add(hash, model);
        hash = Add(hash, options?.MaxOutputTokens?.ToString(CultureInfo.InvariantCulture) ?? "-");
        hash = Add(hash, options?.Temperature?.ToString("R", CultureInfo.InvariantCulture) ?? "-");
        foreach (var message in messages)
        {
            hash = Add(hash, message.Role.Value);
            hash = Add(hash, message.Text);
        }

        return hash;
    }

    /// <summary>A seed for <see cref="Random"/> from a hash and a salt.</summary>
    public static int ToSeed(ulong hash, int salt)
    {
        var mixed = (hash ^ ((ulong)(uint)salt * 0x9E3779B97F4A7C15)) * 0xBF58476D1CE4E5B9;
        return (int)(mixed ^ (mixed >> 32));
    }

    private static ulong Add(ulong hash, string value)
    {
        foreach (var c in value)
        {
            hash = (hash ^ c) * Prime;
        }

        // A separator, so ("ab", "c") and ("a", "bc") differ.
        return (hash ^ 0xFFFF) * Prime;
    }
}
