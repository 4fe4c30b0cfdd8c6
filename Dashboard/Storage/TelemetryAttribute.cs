namespace Observability.Dashboard.Storage;

/// <summary>One key/value attribute of a resource, scope, span, event, link, log record or data point.</summary>
internal readonly record struct TelemetryAttribute(string Key, AttributeValue Value)
{
    /// <summary>The value of <paramref name="key"/> in <paramref name="attributes"/>, if present.</summary>
    public static AttributeValue? Find(TelemetryAttribute[] attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Key, key, StringComparison.Ordinal))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="attributes"/> has <paramref name="key"/> with the display value <paramref name="value"/>.</summary>
    public static bool Has(TelemetryAttribute[] attributes, string key, string value)
    {
        foreach (var attribute in attributes)
        {
            if (string.Equals(attribute.Key, key, StringComparison.Ordinal) && attribute.Value.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}
