using NodaTime;

namespace Ledger.Testing;

/// <summary>A settable clock (NodaTime.Testing is not on the feed).</summary>
public sealed class FakeClock(Instant now) : IClock
{
    public Instant Now { get; private set; } = now;

    public Instant GetCurrentInstant() => Now;

    public void Advance(Duration by) => Now += by;

    public void Set(Instant to) => Now = to;
}
