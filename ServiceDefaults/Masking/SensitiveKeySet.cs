using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Decides whether an attribute key names a secret: the key, lower-cased with <c>_</c>, <c>-</c>, <c>.</c>, <c>:</c>
/// and spaces removed, ends with one of the sensitive words. Answers are cached per key (keys repeat: every
/// span of a kind carries the same ones). Attribute keys are nearly always the same string instances (the
/// instrumentation's and the code's constants), so a small cache by object identity answers first: one identity
/// hash and one reference comparison instead of hashing the key's characters; a miss falls back to the dictionary.
/// </summary>
internal sealed class SensitiveKeySet
{
    /// <summary>The built-in sensitive words, already normalised.</summary>
    public static readonly IReadOnlyList<string> BuiltInWords =
    [
        "password", "passwd", "pwd", "secret", "clientsecret", "token", "accesstoken", "refreshtoken", "idtoken",
        "authorization", "proxyauthorization", "apikey", "xapikey", "cookie", "setcookie", "connectionstring",
        "privatekey", "credential", "credentials",
    ];

    // Keys are bounded by what the code emits; a cap keeps a flood of dynamic keys from growing the cache forever.
    private const int MaxCachedKeys = 4096;
    private const int MaxNormalizedLength = 256;

    // Slots of the identity cache (a power of two), direct-mapped; a slot belongs to the first key that lands in it.
    private const int IdentitySlots = 256;

    private readonly string[] _words;
    private readonly ConcurrentDictionary<string, bool> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool>.AlternateLookup<ReadOnlySpan<char>> _spanCache;

    // Entries are immutable and set once, so a reader sees a key with its own answer or nothing.
    private readonly Verdict?[] _byIdentity = new Verdict?[IdentitySlots];

    public SensitiveKeySet(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _words = [.. words.Select(Normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal)];
        _spanCache = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True when no word is configured (every key is ordinary).</summary>
    public bool IsEmpty => _words.Length == 0;

    /// <summary>Lower-cases <paramref name="key"/> and drops the separators <c>_ - . :</c> and white space.</summary>
    public static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<char> buffer = stackalloc char[MaxNormalizedLength];
        return new string(NormalizeTail(key, buffer));
    }

    public bool IsSensitive(string key)
    {
        if (_words.Length == 0)
        {
            return false;
        }

        ref var slot = ref _byIdentity[RuntimeHelpers.GetHashCode(key) & (IdentitySlots - 1)];
        if (Volatile.Read(ref slot) is { } verdict && ReferenceEquals(verdict.Key, key))
        {
            return verdict.Sensitive;
        }

        if (!_cache.TryGetValue(key, out var sensitive))
        {
            sensitive = Compute(key);
            if (_cache.Count < MaxCachedKeys)
            {
                _cache.TryAdd(key, sensitive);
            }
        }

        // First come keeps its slot: keys that collide then take the dictionary path without allocating, where
        // replacing each other would allocate on every call.
        if (Volatile.Read(ref slot) is null)
        {
            Interlocked.CompareExchange(ref slot, new Verdict(key, sensitive), null);
        }

        return sensitive;
    }

    public bool IsSensitive(ReadOnlySpan<char> key)
    {
        if (_words.Length == 0)
        {
            return false;
        }

        if (_spanCache.TryGetValue(key, out var sensitive))
        {
            return sensitive;
        }

        sensitive = Compute(key);
        if (_cache.Count < MaxCachedKeys)
        {
            _spanCache.TryAdd(key, sensitive);
        }

        return sensitive;
    }

    private bool Compute(ReadOnlySpan<char> key)
    {
        Span<char> buffer = stackalloc char[MaxNormalizedLength];
        var normalized = NormalizeTail(key, buffer);
        foreach (var word in _words)
        {
            if (normalized.EndsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // Writes the normalised form of the key's last MaxNormalizedLength significant characters (the suffix is
    // what matters) right-aligned into the buffer and returns that slice.
    private static ReadOnlySpan<char> NormalizeTail(ReadOnlySpan<char> key, Span<char> buffer)
    {
        var position = buffer.Length;
        for (var i = key.Length - 1; i >= 0 && position > 0; i--)
        {
            var c = key[i];
            if (c is '_' or '-' or '.' or ':' || char.IsWhiteSpace(c))
            {
                continue;
            }

            buffer[--position] = char.ToLowerInvariant(c);
        }

        return buffer[position..];
    }

    private sealed record Verdict(string Key, bool Sensitive);
}
