namespace Ledger.EventStore;

/// <summary>
/// Names an event type for storage. The name (e.g. <c>disbursement-approved</c>) is what the
/// <c>mt_events.type</c> column holds; it must never change once events of the type exist,
/// and it is never derived from the CLR type name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventTypeAttribute(string name) : Attribute
{
    /// <summary>The stable storage name.</summary>
    public string Name { get; } = name;
}
