using NodaTime;
using NodaTime.Text;

namespace Ledger.Reference;

public enum CalendarDayKind
{
    /// <summary>A public holiday day off (放假), whatever day of the week it falls on.</summary>
    Holiday,

    /// <summary>A Saturday or Sunday that is an official make-up working day (调休上班).</summary>
    Workday,
}

/// <summary>One row of non-working-days.csv.</summary>
public sealed record CalendarDay(LocalDate Date, CalendarDayKind Kind, string Name);

/// <summary>
/// Working days in mainland China: Monday to Friday, minus public holidays, plus make-up working
/// weekends, as set by the State Council's yearly schedule. Only years whose schedule is in the
/// table can be asked about: an unknown year is refused rather than treated as having no holidays.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly Dictionary<LocalDate, CalendarDay> _days;
    private readonly SortedSet<int> _coveredYears;

    /// <param name="days">The listed holidays and make-up working days.</param>
    /// <param name="coveredYears">Years whose whole schedule is in <paramref name="days"/>; by default every year a day is listed in.</param>
    public WorkingDayCalendar(IEnumerable<CalendarDay> days, IEnumerable<int>? coveredYears = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        _days = days.ToDictionary(d => d.Date);
        _coveredYears = new SortedSet<int>(coveredYears ?? _days.Keys.Select(d => d.Year));
    }

    /// <summary>A calendar that covers no year: every question about a date is refused.</summary>
    public static WorkingDayCalendar Empty { get; } = new([]);

    public IReadOnlyCollection<int> CoveredYears => _coveredYears;

    public IReadOnlyDictionary<LocalDate, CalendarDay> Days => _days;

    public bool Covers(int year) => _coveredYears.Contains(year);

    public bool IsWorkingDay(LocalDate date)
    {
        RequireCovered(date);
        if (_days.TryGetValue(date, out var listed))
        {
            return listed.Kind == CalendarDayKind.Workday;
        }
        return date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);
    }

    /// <summary>The last working day before <paramref name="date"/>, or null when none lies in a year the table covers.</summary>
    public LocalDate? PreviousWorkingDay(LocalDate date) => Step(date, -1);

    /// <summary>The first working day after <paramref name="date"/>, or null when none lies in a year the table covers.</summary>
    public LocalDate? NextWorkingDay(LocalDate date) => Step(date, 1);

    /// <summary>Why <paramref name="date"/> is not a working day: the holiday's name, or the day of the week.</summary>
    public string NonWorkingReason(LocalDate date) =>
        _days.TryGetValue(date, out var listed) && listed.Kind == CalendarDayKind.Holiday
            ? listed.Name
            : date.DayOfWeek.ToString();

    private LocalDate? Step(LocalDate date, int direction)
    {
        for (var day = date.PlusDays(direction); _coveredYears.Contains(day.Year); day = day.PlusDays(direction))
        {
            if (IsWorkingDay(day))
            {
                return day;
            }
        }
        return null;
    }

    /// <summary>
    /// The first day an award determined on <paramref name="determinationDate"/> may be approved when its
    /// policy requires <paramref name="publicityWorkingDays"/> working days of publicity (公示): the first
    /// working day after N full working days that follow the determination date. The determination date
    /// itself never counts, since the notice goes up during that day.
    /// </summary>
    /// <remarks>
    /// N = 0 means the policy has no publicity period: approval is possible at once, on the determination
    /// date itself, whatever day that is; the calendar is not consulted, so a policy without publicity never
    /// waits for next year's holiday schedule to be published.
    /// </remarks>
    public LocalDate FirstApprovalDate(LocalDate determinationDate, int publicityWorkingDays)
    {
        if (publicityWorkingDays < 0)
        {
            throw new DomainException(
                "calendar.publicity-days-negative",
                $"publicityWorkingDays: {publicityWorkingDays} is negative; a publicity period is 0 or more working days.");
        }
        if (publicityWorkingDays == 0)
        {
            return determinationDate;
        }

        RequireCovered(determinationDate);
        var day = determinationDate;
        for (var counted = 0; counted < publicityWorkingDays;)
        {
            day = day.PlusDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        do
        {
            day = day.PlusDays(1);
        }
        while (!IsWorkingDay(day));
        return day;
    }

    private void RequireCovered(LocalDate date)
    {
        if (!_coveredYears.Contains(date.Year))
        {
            var covered = _coveredYears.Count switch
            {
                0 => "no year",
                _ when _coveredYears.Max - _coveredYears.Min + 1 == _coveredYears.Count => $"{_coveredYears.Min}–{_coveredYears.Max}",
                _ => string.Join(", ", _coveredYears),
            };
            throw new DomainException(
                "calendar.year-not-covered",
                $"{LocalDatePattern.Iso.Format(date)}: the holiday table has no schedule for {date.Year} (it covers {covered}); " +
                $"add the State Council's {date.Year} holiday schedule to non-working-days.csv before counting working days in that year.");
        }
    }
}
