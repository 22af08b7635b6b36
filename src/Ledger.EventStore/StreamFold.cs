using System.Reflection;

namespace Ledger.EventStore;

/// <summary>
/// One stream's current fold, read with others in one round trip by <see cref="EventStore.AggregateStreamsAsync"/>
/// (see <see cref="StreamFold{T}"/>).
/// </summary>
public abstract class StreamFold
{
    private protected StreamFold(Guid streamId) => StreamId = streamId;

    /// <summary>The stream folded.</summary>
    public Guid StreamId { get; }

    /// <summary>Takes the cached fold, if any; returns the version the events to read come after.</summary>
    internal abstract long Start(BoundedCache<(Guid Stream, Type State, MethodInfo Evolve), object> cache);

    internal abstract void Apply(long version, object @event);

    internal abstract void Finish(BoundedCache<(Guid Stream, Type State, MethodInfo Evolve), object> cache);
}

/// <summary>
/// A stream folded with a pure evolve function from an initial state: the initial state must depend on the
/// stream alone and <typeparamref name="T"/> must be immutable, because the fold is cached per process and handed to
/// every caller (a capturing closure, whose result could depend on more than the stream, is never cached).
/// </summary>
public sealed class StreamFold<T> : StreamFold
{
    private readonly Aggregated<T> _initial;
    private readonly Func<T, object, T> _evolve;
    private Aggregated<T> _start;
    private T _state;
    private long _version;

    /// <summary>The fold of <paramref name="streamId"/> from <paramref name="initial"/> by <paramref name="evolve"/>.</summary>
    public StreamFold(Guid streamId, T initial, Func<T, object, T> evolve)
        : base(streamId)
    {
        _initial = _start = Result = new Aggregated<T>(initial, 0);
        _state = initial;
        _evolve = evolve;
    }

    /// <summary>The state and version reached, once read.</summary>
    public Aggregated<T> Result { get; private set; }

    private bool Cacheable => _evolve.Target is null
        || _evolve.Target.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length == 0;

    private (Guid, Type, MethodInfo) Key => (StreamId, typeof(T), _evolve.Method);

    internal Aggregated<T>? Cached(BoundedCache<(Guid Stream, Type State, MethodInfo Evolve), object> cache) =>
        Cacheable && cache.TryGet(Key, out var cached) ? (Aggregated<T>)cached : null;

    internal override long Start(BoundedCache<(Guid Stream, Type State, MethodInfo Evolve), object> cache)
    {
        _start = Cacheable && cache.TryGet(Key, out var cached) ? (Aggregated<T>)cached : _initial;
        (_state, _version) = (_start.State, _start.Version);
        return _version;
    }

    internal override void Apply(long version, object @event)
    {
        _state = _evolve(_state, @event);
        _version = version;
    }

    internal override void Finish(BoundedCache<(Guid Stream, Type State, MethodInfo Evolve), object> cache)
    {
        if (_version == _start.Version)
        {
            Result = _start;
            return;
        }
        var version = _version;
        Result = new Aggregated<T>(_state, version);
        if (Cacheable)
        {
            cache.Set(Key, Result, held => ((Aggregated<T>)held).Version < version);
        }
    }
}
