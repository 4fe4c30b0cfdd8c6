namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// The subscriptions to one run or session. Readers (the dispatcher) take a snapshot array without locking; writers
/// copy on change. A set emptied by its last removal is retired, so a concurrent adder makes a new one.
/// </summary>
internal sealed class SubscriberSet
{
    private readonly Lock _gate = new();
    private Subscription[] _members = [];
    private bool _retired;

    public Subscription[] Members => Volatile.Read(ref _members);

    public bool TryAdd(Subscription subscription)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            Volatile.Write(ref _members, [.. _members, subscription]);
            return true;
        }
    }

    /// <summary>Removes <paramref name="subscription"/>; true when the set is now empty and retired.</summary>
    public bool Remove(Subscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_members, subscription);
            if (index < 0)
            {
                return false;
            }

            Volatile.Write(ref _members, [.. _members.AsSpan(0, index), .. _members.AsSpan(index + 1)]);
            _retired = _members.Length == 0;
            return _retired;
        }
    }
}
