using System.Reflection;

namespace Ledger.EventStore;

/// <summary>Maps stable storage names to event types and back. Built once at startup.</summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = [];

    /// <summary>Registers every class carrying <see cref="EventTypeAttribute"/> in the given assemblies.</summary>
    public static EventTypeRegistry FromAssemblies(params Assembly[] assemblies)
    {
        var registry = new EventTypeRegistry();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetCustomAttribute<EventTypeAttribute>() is { } attribute)
            {
                registry.Register(type, attribute.Name);
            }
        }
        return registry;
    }

    /// <summary>Registers one type; a name or type registered twice is a programming error.</summary>
    public EventTypeRegistry Register(Type type, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"event type name '{name}' of {type.Name} must be lower-case kebab-case", nameof(name));
        }
        if (_byName.TryGetValue(name, out var existing) && existing != type)
        {
            throw new ArgumentException($"event type name '{name}' is used by both {existing.FullName} and {type.FullName}", nameof(name));
        }
        if (_byType.TryGetValue(type, out var existingName) && existingName != name)
        {
            throw new ArgumentException($"{type.FullName} is registered as both '{existingName}' and '{name}'", nameof(type));
        }
        _byName[name] = type;
        _byType[type] = name;
        return this;
    }

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="name"/>.</summary>
    public EventTypeRegistry Register<T>(string name) => Register(typeof(T), name);

    /// <summary>The storage name of an event's type.</summary>
    public string NameOf(Type type) =>
        _byType.TryGetValue(type, out var name)
            ? name
            : throw new InvalidOperationException($"{type.FullName} is not a registered event type; give it an [EventType(\"...\")] attribute.");

    /// <summary>The CLR type stored under <paramref name="name"/>.</summary>
    public Type TypeOf(string name) =>
        _byName.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"event type '{name}' is stored but not registered in this program.");

    /// <summary>All registered names.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;
}
