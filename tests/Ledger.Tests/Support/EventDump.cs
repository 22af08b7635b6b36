using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Ledger.Tests.Support;

/// <summary>
/// A canonical text of events for comparison: records compare their lists by reference, this compares them by
/// content, and a failing test shows a readable diff.
/// </summary>
public static class EventDump
{
    public static string Of(IEnumerable<object> events) => string.Join("\n", events.Select(Value));

    private static string Value(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Value)) + "]",
        _ when value.GetType().IsValueType => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        _ => value.GetType().Name + " { " + string.Join(", ", value.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => $"{p.Name} = {Value(p.GetValue(value))}")) + " }",
    };
}
