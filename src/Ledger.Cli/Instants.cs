using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli;

/// <summary>Instants given on the command line (--as-of, --since, --until): ISO-8601 with Z or an offset.</summary>
internal static class Instants
{
    private static readonly Instant Earliest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
    private static readonly Instant Latest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    /// <summary>Parses the text given to <paramref name="option"/>; bad input (exit 2) naming the option otherwise.</summary>
    public static Instant Parse(string option, string text) =>
        // The database takes instants through DateTime: its range is the range we accept.
        OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } result && result.Value.ToInstant() is var instant && instant >= Earliest && instant <= Latest
            ? instant
            : throw new DomainException($"cli.{option.TrimStart('-')}", $"{option}: '{text}' is not an ISO-8601 instant with Z or an offset (e.g. 2022-12-31T16:00:00Z or 2023-01-01T00:00:00+08:00).");
}
