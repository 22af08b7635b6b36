namespace Ledger.Tests.Support;

/// <summary>Choices drawn from a seeded <see cref="Random"/>, so a randomized test replays exactly from its seed.</summary>
internal static class SeededRandom
{
    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>A Guid from the seeded generator (Guid.NewGuid would make a replay differ).</summary>
    public static Guid NextGuid(this Random rng)
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        return new Guid(bytes);
    }
}
