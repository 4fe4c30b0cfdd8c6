namespace Observability.WebSocketHub.Subscriptions;

/// <summary>Routes each live event to this instance's subscriptions to its run and to its session.</summary>
internal sealed class SubscriptionRouter
{
    private readonly SubscriberIndex<Guid> _runs = new();
    private readonly SubscriberIndex<string> _sessions = new(StringComparer.Ordinal);

    public void Add(Subscription subscription)
    {
        if (subscription.Key.RunId is { } runId)
        {
            _runs.Add(runId, subscription);
        }
        else
        {
            _sessions.Add(subscription.Key.SessionId!, subscription);
        }
    }

    public void Remove(Subscription subscription)
    {
        if (subscription.Key.RunId is { } runId)
        {
            _runs.Remove(runId, subscription);
        }
        else
        {
            _sessions.Remove(subscription.Key.SessionId!, subscription);
        }
    }

    /// <summary>The subscriptions an event of <paramref name="runId"/> in <paramref name="sessionId"/> goes to.</summary>
    public (Subscription[] Run, Subscription[] Session) Find(Guid runId, string sessionId) =>
        (_runs.Get(runId), _sessions.Get(sessionId));

    /// <summary>Every local subscription at this moment.</summary>
    public IEnumerable<Subscription> All() => _runs.All().Concat(_sessions.All());

    /// <summary>Delivers <paramref name="live"/> to the given subscriptions; returns how many took it.</summary>
    public static int Deliver(LiveEvent live, Subscription[] runSubscriptions, Subscription[] sessionSubscriptions)
    {
        var recipients = 0;
        foreach (var subscription in runSubscriptions)
        {
            recipients += subscription.Deliver(live) ? 1 : 0;
        }

        foreach (var subscription in sessionSubscriptions)
        {
            recipients += subscription.Deliver(live) ? 1 : 0;
        }

        return recipients;
    }
}
