using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The retry rule for requests that change state: a request with an unsafe method (POST, PUT, PATCH, DELETE,
/// CONNECT) is retried only when it carries an <see cref="HeaderName"/> header, because a lost response does not
/// prove the server did not act, and the key lets the server recognise the repeat.
/// </summary>
public static class IdempotentRetry
{
    /// <summary>The header that makes an unsafe request safe to repeat (draft-ietf-httpapi-idempotency-key-header).</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>
    /// The package's <c>DisableForUnsafeHttpMethods()</c>, lifted for requests that carry an <see cref="HeaderName"/>
    /// header: those keep the retry predicate <paramref name="options"/> had before.
    /// </summary>
    public static void DisableForUnsafeHttpMethodsWithoutIdempotencyKey(this HttpRetryStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var anyMethod = options.ShouldHandle;
        options.DisableForUnsafeHttpMethods();
        var safeMethodsOnly = options.ShouldHandle;
        options.ShouldHandle = args =>
            args.Context.GetRequestMessage()?.Headers.Contains(HeaderName) == true ? anyMethod(args) : safeMethodsOnly(args);
    }
}
