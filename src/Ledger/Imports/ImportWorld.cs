using Ledger.EventStore;

namespace Ledger.Imports;

/// <summary>
/// The streams an import decides on, in memory: each as the ledger held it when the import loaded it, plus the events
/// the import has decided so far, folded as they are decided. Deciders read their state from here, so a row sees what
/// earlier rows of the same import did (stacking, budget lines, vouchers) before anything is written. What was decided
/// is kept in decision order as <see cref="Log"/>, the appends <see cref="Batches"/> turns into commits.
/// </summary>
internal sealed class ImportWorld
{
    private const string BudgetLineStreamType = Budgets.BudgetHandler.StreamType;

    private readonly Dictionary<Guid, Slot> _slots = [];

    /// <summary>One entry per decision on a stream, in the order the import decided them; <c>Group</c> is the row that decided it.</summary>
    public List<(int Group, Guid StreamId, string StreamType, string CountyCode, IReadOnlyList<object> Events)> Log { get; } = [];

    public int NewEvents { get; private set; }

    /// <summary>Registers streams read from the ledger: their events in version order (none for a stream that does not exist).</summary>
    public void Loaded(Guid streamId, IReadOnlyList<object> events)
    {
        if (!_slots.TryGetValue(streamId, out var slot) || slot.Missed)
        {
            _slots[streamId] = new Slot { Stored = events, BaseVersion = events.Count };
        }
    }

    public bool IsLoaded(Guid streamId) => _slots.ContainsKey(streamId);

    /// <summary>The stream's state folded from its stored and decided events; <paramref name="initial"/> for a stream no one wrote.</summary>
    public T State<T>(Guid streamId, T initial, Func<T, object, T> fold)
    {
        var slot = SlotOf(streamId);
        if (slot.Fold is null)
        {
            var state = initial;
            foreach (var e in slot.Stored)
            {
                state = fold(state, e);
            }
            foreach (var e in slot.Decided)
            {
                state = fold(state, e);
            }
            slot.State = state;
            slot.Fold = (s, e) => fold((T)s!, e);
        }
        return (T)slot.State!;
    }

    /// <summary>The stream's events, stored then decided.</summary>
    public IEnumerable<object> Events(Guid streamId) => SlotOf(streamId).Stored.Concat(SlotOf(streamId).Decided);

    /// <summary>Streams a decider read that the import had not loaded: load them and decide again (<see cref="Reset"/>).</summary>
    public HashSet<Guid> Missed { get; } = [];

    /// <summary>Forgets every decision (the log, decided events, folded states), keeping what was loaded.</summary>
    public void Reset()
    {
        foreach (var (id, slot) in _slots.ToList())
        {
            if (slot.Missed)
            {
                _slots.Remove(id);
                continue;
            }
            slot.Decided.Clear();
            if (slot.Checkpoint is not null)
            {
                slot.State = slot.Checkpoint;
                continue;
            }
            slot.State = null;
            slot.Fold = null;
        }
        Log.Clear();
        NewEvents = 0;
    }

    /// <summary>
    /// After a group of enterprises is decided (its decisions taken out with <see cref="Batches"/>): what was decided counts as held from
    /// now on — the next decisions build on it and the next commit appends after it — and the log starts empty.
    /// </summary>
    public void Settle()
    {
        foreach (var slot in _slots.Values.Where(s => s.Decided.Count > 0))
        {
            slot.BaseVersion += slot.Decided.Count;
            if (slot.Fold is not null)
            {
                // A folded stream (a budget line every group pays from) keeps its state, not its events.
                slot.Checkpoint = slot.State;
                slot.Stored = [];
            }
            else
            {
                slot.Stored = [.. slot.Stored, .. slot.Decided];
            }
            slot.Decided.Clear();
        }
        Log.Clear();
        NewEvents = 0;
    }

    /// <summary>Forgets every stream but those kept (shared by later groups: budget lines, policies): the deciders' state stays one group's.</summary>
    public void Evict(Func<Guid, bool> keep)
    {
        foreach (var id in _slots.Keys.Where(id => !keep(id)).ToList())
        {
            _slots.Remove(id);
        }
    }

    /// <summary>Events stored and decided: the version the next event follows.</summary>
    public long Version(Guid streamId) => SlotOf(streamId).BaseVersion + SlotOf(streamId).Decided.Count;

    /// <summary>The version the ledger held when the import loaded the stream.</summary>
    public long StoredVersion(Guid streamId) => SlotOf(streamId).BaseVersion;

    /// <summary>Adds decided events to a stream (folding them into its state if it has been read) and to the log.</summary>
    public void Append(int group, Guid streamId, string streamType, string countyCode, IReadOnlyList<object> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        // A stream the import did not load and no decider read is one this import starts (a new designation, award):
        // were it in the ledger after all, its commit would be refused as a conflict.
        var slot = _slots.TryGetValue(streamId, out var found) ? found : _slots[streamId] = new Slot();
        foreach (var e in events)
        {
            slot.Decided.Add(e);
            if (slot.Fold is not null)
            {
                slot.State = slot.Fold(slot.State, e);
            }
        }
        Log.Add((group, streamId, streamType, countyCode, events));
        NewEvents += events.Count;
    }

    public void Append(int group, StreamAppend append) => Append(group, append.StreamId, append.StreamType, append.CountyCode, append.Events);

    /// <summary>
    /// The log cut into commits of about <paramref name="eventsPerBatch"/> events, never splitting one row's decisions:
    /// each commit appends every stream it touches once, at the version the stream has after the earlier commits.
    /// </summary>
    public IEnumerable<IReadOnlyList<StreamAppend>> Batches(int eventsPerBatch)
    {
        var versions = new Dictionary<Guid, long>();
        var batch = new List<(Guid StreamId, string StreamType, string CountyCode, IReadOnlyList<object> Events)>();
        var size = 0;
        var lastGroup = int.MinValue;
        foreach (var entry in Log)
        {
            if (size >= eventsPerBatch && entry.Group != lastGroup)
            {
                yield return Appends(batch, versions);
                batch.Clear();
                size = 0;
            }
            batch.Add((entry.StreamId, entry.StreamType, entry.CountyCode, entry.Events));
            size += entry.Events.Count;
            lastGroup = entry.Group;
        }
        if (batch.Count > 0)
        {
            yield return Appends(batch, versions);
        }
    }

    private List<StreamAppend> Appends(List<(Guid StreamId, string StreamType, string CountyCode, IReadOnlyList<object> Events)> batch, Dictionary<Guid, long> versions)
    {
        var appends = new List<StreamAppend>();
        // One append per stream, in the order the streams were first decided on — budget lines last, as a live command
        // orders them: their events' read rows look up the award rows that the award streams' first events insert.
        foreach (var stream in batch.GroupBy(b => b.StreamId).OrderBy(g => g.First().StreamType == BudgetLineStreamType ? 1 : 0))
        {
            var from = versions.TryGetValue(stream.Key, out var v) ? v : SlotOf(stream.Key).BaseVersion;
            var events = stream.SelectMany(s => s.Events).ToList();
            // The county header follows the stream's latest decision (an enterprise's stream after a move).
            appends.Add(new StreamAppend(stream.Key, stream.First().StreamType, from == 0 ? ExpectedVersion.NoStream : from, stream.Last().CountyCode, events));
            versions[stream.Key] = from + events.Count;
        }
        return appends;
    }

    // A stream the import did not load is taken as new for now and noted: the run is repeated once it is loaded.
    private Slot SlotOf(Guid streamId)
    {
        if (!_slots.TryGetValue(streamId, out var slot))
        {
            Missed.Add(streamId);
            _slots[streamId] = slot = new Slot { Missed = true };
        }
        return slot;
    }

    private sealed class Slot
    {
        public IReadOnlyList<object> Stored = [];
        public long BaseVersion;
        public readonly List<object> Decided = [];
        public object? State;
        public Func<object?, object, object?>? Fold;
        public bool Missed;

        /// <summary>The state as of the last <see cref="Settle"/>, for a folded stream whose settled events are let go.</summary>
        public object? Checkpoint;
    }
}
