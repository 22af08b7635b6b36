namespace Ledger.EventStore;

/// <summary>
/// A map that holds at most <see cref="Capacity"/> entries, dropping the least recently used one to take another: the
/// per-process caches of folded streams and report answers, whose memory must not grow with the ledger. Thread-safe.
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries;
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();
    private readonly Lock _lock = new();

    /// <summary>A cache of at most <paramref name="capacity"/> entries.</summary>
    public BoundedCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(capacity);
    }

    /// <summary>The most entries the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>The entries it holds now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The value of <paramref name="key"/>, if held; it becomes the most recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>
    /// Holds <paramref name="value"/> under <paramref name="key"/>, unless <paramref name="replaces"/> says the value held
    /// already is to stay (a fold that raced with a longer one keeps the longer).
    /// </summary>
    public void Set(TKey key, TValue value, Func<TValue, bool>? replaces = null)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (replaces is not null && !replaces(node.Value.Value))
                {
                    return;
                }
                _recency.Remove(node);
                node.Value = (key, value);
                _recency.AddFirst(node);
                return;
            }
            if (_entries.Count >= Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            _entries[key] = _recency.AddFirst((key, value));
        }
    }
}
