using NodaTime;

namespace Ledger;

/// <summary>Business dates are dates in mainland China (docs/decisions.md): an approval instant becomes a date in Asia/Shanghai.</summary>
public static class ChinaTime
{
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;
}
