namespace Ledger.Imports.Generation;

/// <summary>
/// SplitMix64: the same seed gives the same numbers on every runtime and platform, which <see cref="Random"/> does not
/// promise. Each enterprise, county and batch draws from its own stream (<see cref="For(long, ulong)"/>), so what one
/// draws never shifts another's numbers and the files can be written in any order.
/// </summary>
internal struct DeterministicRandom
{
    private ulong _state;

    private DeterministicRandom(ulong state) => _state = state;

    /// <summary>The stream of <paramref name="key"/> under <paramref name="seed"/>.</summary>
    public static DeterministicRandom For(long seed, ulong key) => new(Mix(Mix(unchecked((ulong)seed)) ^ key));

    /// <summary>The stream of a text key (a division code, a tier and year) under <paramref name="seed"/>.</summary>
    public static DeterministicRandom For(long seed, string key) => For(seed, Hash(key));

    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
        }
        return Mix(_state);
    }

    /// <summary>0 ≤ result &lt; <paramref name="maxExclusive"/>.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary><paramref name="min"/> ≤ result ≤ <paramref name="max"/>.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>Uniform on [0, 1), from the top 53 bits: exact in a double, so the same on every machine.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>FNV-1a over the UTF-16 code units: stable, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 0x100000001B3UL);
        }
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
