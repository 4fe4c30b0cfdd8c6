using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Otlp;

/// <summary>Bounds the exports decoded at once (<c>Dashboard:Otlp:MaxConcurrentExports</c>); the rest are told to retry.</summary>
internal sealed class ExportLimiter(IOptions<OtlpOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentExports, options.Value.MaxConcurrentExports);

    public TimeSpan RetryAfter { get; } = options.Value.RetryAfter;

    /// <summary>Exports being decoded right now.</summary>
    public int InUse => options.Value.MaxConcurrentExports - _slots.CurrentCount;

    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
