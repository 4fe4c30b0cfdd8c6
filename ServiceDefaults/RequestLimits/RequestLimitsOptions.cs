namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>
/// The sizes of a request's head a service accepts (section <c>RequestLimits</c>). A request over one of them is
/// answered with RFC 7807 problem details naming the limit and the header or request-target part at fault (431 for
/// headers, 414 for the request line). Kestrel's own limits are raised to <see cref="KestrelBackstopFactor"/> times
/// these: only beyond that backstop does Kestrel refuse the request itself, with an empty body.
/// </summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "RequestLimits";

    /// <summary>Kestrel's default <c>MaxRequestBufferSize</c> (1 MiB), which its head limits must not pass.</summary>
    internal const int KestrelRequestBufferSize = 1024 * 1024;

    /// <summary>
    /// <c>RequestLimits:MaxRequestHeadersTotalSize</c>: the largest total of the header lines, in bytes, each counted
    /// as name, <c>": "</c>, value and CRLF (as Kestrel counts them). Default 32768 (Kestrel's own default); 1 KiB to 256 KiB.
    /// </summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>
    /// <c>RequestLimits:MaxRequestHeaderCount</c>: the most header fields a request may carry. Default 100 (Kestrel's
    /// own default); 1 to 1000.
    /// </summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>
    /// <c>RequestLimits:MaxRequestLineSize</c>: the longest request line (method, target with its query string,
    /// protocol, CRLF), in bytes. Default 8192 (Kestrel's own default); 256 bytes to 64 KiB.
    /// </summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>
    /// <c>RequestLimits:KestrelBackstopFactor</c>: Kestrel's own limits (<c>MaxRequestHeadersTotalSize</c>,
    /// <c>MaxRequestHeaderCount</c>, <c>MaxRequestLineSize</c>, HTTP/2's <c>MaxRequestHeaderFieldSize</c>) are this many
    /// times the ones above. Requests between the two get problem details; beyond the backstop Kestrel refuses them
    /// while parsing, before any middleware, with an empty body. 1 makes both the same (no problem details for sizes).
    /// Default 4; 1 to 16, and at most Kestrel's request buffer (1 MiB) for either size.
    /// </summary>
    public int KestrelBackstopFactor { get; set; } = 4;
}
