using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Masks a finished span before any exporter sees it: tag values (by key and by value), the display name, the
/// status description, and the attributes of its events (exception.message, exception.stacktrace, ...) and links.
/// Registered ahead of the exporters, so the exporters serialise the masked values.
/// </summary>
internal sealed class MaskingActivityProcessor(SensitiveDataMasker masker) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        MaskTags(data);

        var displayName = data.DisplayName;
        var maskedName = masker.MaskText(displayName);
        if (!ReferenceEquals(maskedName, displayName))
        {
            data.DisplayName = maskedName;
        }

        if (data.StatusDescription is { } description)
        {
            var maskedDescription = masker.MaskText(description);
            if (!ReferenceEquals(maskedDescription, description))
            {
                data.SetStatus(data.Status, maskedDescription);
            }
        }

        foreach (ref readonly var activityEvent in data.EnumerateEvents())
        {
            // Events keep the collection they were created with and exporters enumerate that same instance,
            // so masking it in place changes what is exported (Activity.AddException and RecordException
            // both create an ActivityTagsCollection).
            if (activityEvent.Tags is ActivityTagsCollection tags)
            {
                MaskCollection(tags);
            }
        }

        foreach (ref readonly var link in data.EnumerateLinks())
        {
            if (link.Tags is ActivityTagsCollection tags)
            {
                MaskCollection(tags);
            }
        }
    }

    private void MaskTags(Activity activity)
    {
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var masked = masker.MaskAttribute(tag.Key, tag.Value);
            if (!ReferenceEquals(masked, tag.Value))
            {
                (changes ??= []).Add(new(tag.Key, masked));
            }
        }

        if (changes is null)
        {
            return;
        }

        foreach (var change in changes)
        {
            activity.SetTag(change.Key, change.Value);
        }
    }

    private void MaskCollection(ActivityTagsCollection tags)
    {
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (var tag in tags)
        {
            var masked = masker.MaskAttribute(tag.Key, tag.Value);
            if (!ReferenceEquals(masked, tag.Value))
            {
                (changes ??= []).Add(new(tag.Key, masked));
            }
        }

        if (changes is null)
        {
            return;
        }

        foreach (var change in changes)
        {
            tags[change.Key] = change.Value;
        }
    }
}
