using System.Collections.Concurrent;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>The local subscriptions by run id or by session id; lock-free lookups on the delivery path.</summary>
internal sealed class SubscriberIndex<TKey>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, SubscriberSet> _sets = new(comparer);

    public int Count => _sets.Count;

    public void Add(TKey key, Subscription subscription)
    {
        while (!_sets.GetOrAdd(key, static _ => new SubscriberSet()).TryAdd(subscription))
        {
            // The set was retired by a concurrent last removal; it is being taken out of the dictionary.
            Thread.Yield();
        }
    }

    public void Remove(TKey key, Subscription subscription)
    {
        if (_sets.TryGetValue(key, out var set) && set.Remove(subscription))
        {
            _sets.TryRemove(new KeyValuePair<TKey, SubscriberSet>(key, set));
        }
    }

    public Subscription[] Get(TKey key) => _sets.TryGetValue(key, out var set) ? set.Members : [];

    /// <summary>Every subscription at this moment.</summary>
    public IEnumerable<Subscription> All() => _sets.Values.SelectMany(static set => set.Members);
}
