using Ledger.EventStore;
using NodaTime;

namespace Ledger.EventStore.Tests;

[EventType("sample-recorded")]
public sealed record SampleRecorded(Guid SampleId, string Text, decimal Amount, LocalDate On, Instant At, LocalDate? Until = null);

[EventType("sample-noted")]
public sealed record SampleNoted(Guid SampleId, string Note);

internal static class Samples
{
    public static EventTypeRegistry Types { get; } = EventTypeRegistry.FromAssemblies(typeof(SampleRecorded).Assembly);

    public static EventMetadata Metadata(string? idempotencyKey = null) =>
        new("clerk-1", "clerk", Guid.NewGuid(), IdempotencyKey: idempotencyKey);

    public static SampleRecorded Recorded(Guid id, decimal amount = 1m, string text = "锡山区") =>
        new(id, text, amount, new LocalDate(2022, 6, 1), Instant.FromUtc(2022, 6, 1, 8, 0), null);

    public static StreamAppend Append(Guid stream, long expected, params object[] events) =>
        new(stream, "sample", expected, "320205", events);
}
