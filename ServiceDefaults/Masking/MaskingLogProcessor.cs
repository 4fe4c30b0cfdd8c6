using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Masks a log record before any exporter sees it: attribute values (by key and by value, the message template
/// included), the formatted message and the body. An exception whose message or stack trace holds a secret is
/// replaced by the semantic-convention attributes <c>exception.type</c>, <c>exception.message</c> and
/// <c>exception.stacktrace</c> with masked values (the exporters would otherwise serialise the exception object's
/// own, unmasked text).
/// </summary>
/// <remarks>
/// Logger scopes are read by the exporters from the logger factory's scope provider, which a processor cannot
/// change: <see cref="MaskingScopeProvider"/> masks them there.
/// </remarks>
internal sealed class MaskingLogProcessor(SensitiveDataMasker masker) : BaseProcessor<LogRecord>
{
    private const string ExceptionType = "exception.type";
    private const string ExceptionMessage = "exception.message";
    private const string ExceptionStacktrace = "exception.stacktrace";

    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);

        if (data.FormattedMessage is { } formatted)
        {
            data.FormattedMessage = masker.MaskMessage(formatted, data.Attributes);
        }

        if (data.Body is { } body)
        {
            data.Body = masker.MaskText(body);
        }

        var attributes = MaskAttributes(data.Attributes);
        if (data.Exception is { } exception)
        {
            var message = exception.Message;
            var stacktrace = exception.ToString();
            var maskedMessage = masker.MaskText(message);
            var maskedStacktrace = masker.MaskText(stacktrace);
            if (!ReferenceEquals(maskedMessage, message) || !ReferenceEquals(maskedStacktrace, stacktrace))
            {
                var withException = attributes is null ? [] : new List<KeyValuePair<string, object?>>(attributes);
                withException.Add(new(ExceptionType, exception.GetType().FullName ?? exception.GetType().Name));
                withException.Add(new(ExceptionMessage, maskedMessage));
                withException.Add(new(ExceptionStacktrace, maskedStacktrace));
                attributes = withException;
                data.Exception = null;
            }
        }

        if (!ReferenceEquals(attributes, data.Attributes))
        {
            data.Attributes = attributes;
        }
    }

    private IReadOnlyList<KeyValuePair<string, object?>>? MaskAttributes(IReadOnlyList<KeyValuePair<string, object?>>? attributes)
    {
        if (attributes is null)
        {
            return null;
        }

        List<KeyValuePair<string, object?>>? masked = null;
        for (var i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            var value = masker.MaskAttribute(attribute.Key, attribute.Value);
            if (masked is null && ReferenceEquals(value, attribute.Value))
            {
                continue;
            }

            if (masked is null)
            {
                masked = new List<KeyValuePair<string, object?>>(attributes.Count + 3);
                for (var j = 0; j < i; j++)
                {
                    masked.Add(attributes[j]);
                }
            }

            masked.Add(new(attribute.Key, value));
        }

        return masked ?? attributes;
    }
}
