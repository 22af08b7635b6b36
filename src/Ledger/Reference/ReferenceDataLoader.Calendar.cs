using NodaTime;
using NodaTime.Text;

namespace Ledger.Reference;

public static partial class ReferenceDataLoader
{
    private static readonly string[] CalendarColumns = ["date", "kind", "name"];

    /// <remarks>
    /// A year counts as covered when the file lists at least one day in it. A schedule's days that spill
    /// into the previous year (元旦 2019 began on 2018-12-30) are therefore left out when that previous
    /// year's own schedule is not in the file: they would make the year look covered.
    /// </remarks>
    private static WorkingDayCalendar LoadCalendar(string directory)
    {
        var rows = CsvFile.Read(directory, NonWorkingDaysFile, CalendarColumns);
        var days = new Dictionary<LocalDate, (CalendarDay Day, CsvRow Row)>();
        foreach (var row in rows)
        {
            var text = row.Fields[0];
            var parsed = LocalDatePattern.Iso.Parse(text);
            if (!parsed.Success)
            {
                throw Error(NonWorkingDaysFile, row, $"date '{text}' is not an ISO date (yyyy-MM-dd)");
            }
            var date = parsed.Value;
            var kind = row.Fields[1] switch
            {
                "holiday" => CalendarDayKind.Holiday,
                "workday" => CalendarDayKind.Workday,
                var other => throw Error(NonWorkingDaysFile, row, $"unknown kind '{other}' (expected holiday or workday)"),
            };
            if (kind == CalendarDayKind.Workday && date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                throw Error(NonWorkingDaysFile, row, $"{text} is a {date.DayOfWeek}; a make-up working day (workday) is always a Saturday or Sunday");
            }
            if (days.TryGetValue(date, out var first))
            {
                throw Error(NonWorkingDaysFile, row, $"duplicate date {text} (first on line {first.Row.LineNumber})");
            }
            days.Add(date, (new CalendarDay(date, kind, Required(NonWorkingDaysFile, row, 2, "name")), row));
        }

        var years = days.Keys.Select(d => d.Year).ToHashSet();
        for (var year = FirstRequiredYear; year <= LastRequiredYear; year++)
        {
            if (!years.Contains(year))
            {
                throw new ReferenceDataException(
                    NonWorkingDaysFile, null,
                    $"no rows for {year}; the file must hold the State Council holiday schedule of every year from {FirstRequiredYear} to {LastRequiredYear}");
            }
        }
        return new WorkingDayCalendar(days.Values.Select(d => d.Day));
    }
}
