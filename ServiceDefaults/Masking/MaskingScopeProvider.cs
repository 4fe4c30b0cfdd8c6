using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// The logger factory's scope provider, masking scope values as every logger provider reads them (the OpenTelemetry
/// exporter writes scopes as log attributes, outside the reach of a log processor). Registered as the
/// <see cref="IExternalScopeProvider"/> the logger factory hands to every provider.
/// </summary>
/// <remarks>
/// Supplying a scope provider replaces the factory's own, which would add the current activity's IDs as a scope
/// (<c>LoggerFactoryOptions.ActivityTrackingOptions</c>): the JSON console lines carry <c>trace_id</c> and
/// <c>span_id</c> and OTLP log records their trace context natively, so that scope would only repeat them.
/// </remarks>
internal sealed class MaskingScopeProvider(SensitiveDataMasker masker) : IExternalScopeProvider
{
    private readonly LoggerExternalScopeProvider _scopes = new();

    public IDisposable Push(object? state) => _scopes.Push(state);

    public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
        _scopes.ForEachScope(
            static (scope, context) => context.Callback(context.Provider.Mask(scope), context.State),
            (Callback: callback, State: state, Provider: this));

    private object? Mask(object? scope) => scope switch
    {
        null => null,
        string text => masker.MaskText(text),
        IReadOnlyList<KeyValuePair<string, object?>> properties => MaskProperties(properties),
        IEnumerable<KeyValuePair<string, object?>> properties => MaskProperties([.. properties]),
        _ => masker.MaskValue(scope),
    };

    private object MaskProperties(IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        List<KeyValuePair<string, object?>>? masked = null;
        for (var i = 0; i < properties.Count; i++)
        {
            var (key, value) = properties[i];
            var maskedValue = masker.MaskAttribute(key, value);
            if (masked is null && ReferenceEquals(maskedValue, value))
            {
                continue;
            }

            if (masked is null)
            {
                masked = new List<KeyValuePair<string, object?>>(properties.Count);
                for (var j = 0; j < i; j++)
                {
                    masked.Add(properties[j]);
                }
            }

            masked.Add(new(key, maskedValue));
        }

        return masked is null
            ? properties
            : new MaskedScope(masked, masker.MaskMessage(properties.ToString() ?? string.Empty, properties));
    }

    /// <summary>A scope's properties with secrets masked; its text is the scope's own text, masked.</summary>
    private sealed class MaskedScope(List<KeyValuePair<string, object?>> properties, string text)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => properties.Count;

        public KeyValuePair<string, object?> this[int index] => properties[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => properties.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => text;
    }
}
