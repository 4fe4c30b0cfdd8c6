using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Masks a finished span before any exporter sees it: tag values (by key and by value), the display name, the
/// status description, and the attributes of its events (exception.message, exception.stacktrace, ...) and links.
/// Registered ahead of the exporters, so the exporters serialise the masked values.
/// </summary>
/// <remarks>
/// An event keeps its attributes in a list only the runtime can change, whatever collection it was created with,
/// so an event holding a secret is replaced, in the span's own event list, by an equal event with masked
/// attributes (<see cref="Activity.Enumerator{T}.Current"/> returns a writable reference). Links likewise.
/// </remarks>
internal sealed class MaskingActivityProcessor(SensitiveDataMasker masker) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Recorded)
        {
            // Not exported, so nothing to mask.
            return;
        }

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

        foreach (ref var activityEvent in data.EnumerateEvents())
        {
            if (MaskedCopy(activityEvent.EnumerateTagObjects()) is { } tags)
            {
                activityEvent = new ActivityEvent(activityEvent.Name, activityEvent.Timestamp, tags);
            }
        }

        foreach (ref var link in data.EnumerateLinks())
        {
            if (MaskedCopy(link.EnumerateTagObjects()) is { } tags)
            {
                link = new ActivityLink(link.Context, tags);
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

    // Null when no attribute changes (the common case allocates nothing); otherwise every attribute, masked.
    private ActivityTagsCollection? MaskedCopy(Activity.Enumerator<KeyValuePair<string, object?>> tags)
    {
        var changed = false;
        foreach (ref readonly var tag in tags)
        {
            if (!ReferenceEquals(masker.MaskAttribute(tag.Key, tag.Value), tag.Value))
            {
                changed = true;
                break;
            }
        }

        if (!changed)
        {
            return null;
        }

        var copy = new ActivityTagsCollection();
        foreach (ref readonly var tag in tags)
        {
            copy[tag.Key] = masker.MaskAttribute(tag.Key, tag.Value);
        }

        return copy;
    }
}
