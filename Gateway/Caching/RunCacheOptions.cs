using System.ComponentModel.DataAnnotations;

namespace Observability.Gateway.Caching;

/// <summary>
/// The cache of finished runs' details (section <c>Gateway:RunCache</c>): HybridCache, in process first, then Redis.
/// Only runs in a final status are cached (see <see cref="RunDetailsCache"/>), so an entry never goes stale; the
/// expirations bound memory and Redis use, not staleness.
/// </summary>
internal sealed class RunCacheOptions : IValidatableObject
{
    public const string SectionName = "Gateway:RunCache";

    /// <summary>
    /// <c>Gateway:RunCache:Expiration</c>: how long a run's entry stays in Redis (the second level, shared by every
    /// gateway). Default 1 hour; 1 second to 7 days.
    /// </summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>Gateway:RunCache:LocalExpiration</c>: how long a run's entry stays in this process's memory (the first level).
    /// Default 5 minutes; 1 second to 1 day, and at most <see cref="Expiration"/>.
    /// </summary>
    public TimeSpan LocalExpiration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>Gateway:RunCache:MaximumPayloadBytes</c>: the largest serialized entry cached; a larger run is served from
    /// the database every time. Default 1048576 (1 MiB, HybridCache's own default); 1 KiB to 16 MiB.
    /// </summary>
    public int MaximumPayloadBytes { get; set; } = 1024 * 1024;

    // The rules are here rather than in [Range] attributes: the options source generator's own range attribute ignores
    // ErrorMessage (its message is always "The field Expiration must be between ..."), and ours names the key.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Expiration < TimeSpan.FromSeconds(1) || Expiration > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("Gateway:RunCache:Expiration must be between 00:00:01 and 7.00:00:00.", [nameof(Expiration)]);
        }

        if (LocalExpiration < TimeSpan.FromSeconds(1) || LocalExpiration > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Gateway:RunCache:LocalExpiration must be between 00:00:01 and 1.00:00:00.", [nameof(LocalExpiration)]);
        }

        if (MaximumPayloadBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return new ValidationResult("Gateway:RunCache:MaximumPayloadBytes must be between 1024 and 16777216.", [nameof(MaximumPayloadBytes)]);
        }

        if (LocalExpiration > Expiration)
        {
            yield return new ValidationResult(
                "Gateway:RunCache:LocalExpiration must not exceed Gateway:RunCache:Expiration.",
                [nameof(LocalExpiration), nameof(Expiration)]);
        }
    }
}
