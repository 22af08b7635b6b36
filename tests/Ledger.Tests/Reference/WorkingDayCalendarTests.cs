using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Reference;

public class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Calendar = ShippedReferenceData.Instance.Calendar;

    private static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;

    [Theory]
    [InlineData("2024-09-27", true)]  // Friday
    [InlineData("2024-09-28", false)] // ordinary Saturday
    [InlineData("2024-09-29", true)]  // Sunday, make-up working day
    [InlineData("2024-09-30", true)]
    [InlineData("2024-10-01", false)]
    [InlineData("2024-10-02", false)]
    [InlineData("2024-10-03", false)]
    [InlineData("2024-10-04", false)]
    [InlineData("2024-10-05", false)]
    [InlineData("2024-10-06", false)]
    [InlineData("2024-10-07", false)] // Monday, still holiday
    [InlineData("2024-10-08", true)]
    [InlineData("2024-10-12", true)]  // Saturday, make-up working day
    [InlineData("2024-10-13", false)] // ordinary Sunday
    public void National_Day_2024_is_seven_days_off_with_two_make_up_weekend_days(string date, bool working)
    {
        Calendar.IsWorkingDay(Date(date)).ShouldBe(working);
    }

    [Theory]
    [InlineData("2023-01-20", true)]  // Friday before
    [InlineData("2023-01-21", false)] // 除夕, Saturday
    [InlineData("2023-01-23", false)] // Monday
    [InlineData("2023-01-27", false)] // Friday
    [InlineData("2023-01-28", true)]  // Saturday, make-up working day
    [InlineData("2023-01-29", true)]  // Sunday, make-up working day
    [InlineData("2023-01-30", true)]
    public void Spring_Festival_2023_runs_from_21_to_27_January_with_the_following_weekend_worked(string date, bool working)
    {
        Calendar.IsWorkingDay(Date(date)).ShouldBe(working);
    }

    [Theory]
    [InlineData("2024-03-09", false)]
    [InlineData("2024-03-10", false)]
    [InlineData("2024-03-11", true)]
    public void Ordinary_weekends_are_not_listed_and_not_working(string date, bool working)
    {
        Calendar.IsWorkingDay(Date(date)).ShouldBe(working);
    }

    [Fact]
    public void Five_days_after_a_Friday_without_holidays_end_on_the_next_Friday_and_approval_opens_the_Monday_after()
    {
        Calendar.FirstApprovalDate(Date("2024-03-01"), 5).ShouldBe(Date("2024-03-11"));
    }

    [Fact]
    public void Determination_date_does_not_count_even_when_it_is_a_working_day()
    {
        // Tuesday: Wed, Thu, Fri, Mon, Tue are the five days; Wednesday is the first approval day.
        Calendar.FirstApprovalDate(Date("2024-03-05"), 5).ShouldBe(Date("2024-03-13"));
    }

    [Fact]
    public void Publicity_skips_National_Day_and_counts_the_make_up_Saturday()
    {
        // The five days after Monday 30 Sep are 8–11 Oct and the make-up Saturday 12 Oct.
        Calendar.FirstApprovalDate(Date("2024-09-30"), 5).ShouldBe(Date("2024-10-14"));
    }

    [Fact]
    public void Seven_days_from_a_Friday_before_National_Day_count_the_make_up_Sunday()
    {
        // 29 Sep (make-up Sunday), 30 Sep, 8, 9, 10, 11, 12 Oct.
        Calendar.FirstApprovalDate(Date("2024-09-27"), 7).ShouldBe(Date("2024-10-14"));
    }

    [Fact]
    public void Determination_during_a_holiday_counts_from_the_next_working_day()
    {
        Calendar.FirstApprovalDate(Date("2024-10-03"), 5).ShouldBe(Date("2024-10-14"));
    }

    [Fact]
    public void Publicity_over_Spring_Festival_2023_counts_the_make_up_weekend()
    {
        // 28 Jan (Sat), 29 Jan (Sun), 30 Jan, 31 Jan, 1 Feb; approval from Thursday 2 Feb.
        Calendar.FirstApprovalDate(Date("2023-01-20"), 5).ShouldBe(Date("2023-02-02"));
    }

    [Fact]
    public void First_approval_day_is_never_a_holiday()
    {
        // The five days after Tuesday 24 Sep are 25, 26, 27, 29 (make-up Sunday) and 30 Sep; 1–7 Oct are off.
        Calendar.FirstApprovalDate(Date("2024-09-24"), 5).ShouldBe(Date("2024-10-08"));
    }

    [Theory]
    [InlineData("2024-03-05")]
    [InlineData("2024-10-05")] // a holiday
    [InlineData("2027-06-01")] // no table needed when there is nothing to count
    public void Without_publicity_approval_is_possible_on_the_determination_date(string date)
    {
        Calendar.FirstApprovalDate(Date(date), 0).ShouldBe(Date(date));
    }

    [Fact]
    public void Negative_publicity_is_refused()
    {
        Should.Throw<DomainException>(() => Calendar.FirstApprovalDate(Date("2024-03-05"), -1))
            .Code.ShouldBe("calendar.publicity-days-negative");
    }

    [Theory]
    [InlineData("2018-12-31")]
    [InlineData("2027-01-04")]
    public void A_year_outside_the_table_is_refused_not_guessed(string date)
    {
        var error = Should.Throw<DomainException>(() => Calendar.IsWorkingDay(Date(date)));

        error.Code.ShouldBe("calendar.year-not-covered");
        error.Message.ShouldContain($"no schedule for {date[..4]}");
        error.Message.ShouldContain("2019–2026");
    }

    [Fact]
    public void Publicity_running_into_an_uncovered_year_is_refused()
    {
        Should.Throw<DomainException>(() => Calendar.FirstApprovalDate(Date("2026-12-28"), 5))
            .Code.ShouldBe("calendar.year-not-covered");
    }

    [Fact]
    public void Reference_data_built_without_a_calendar_refuses_working_day_questions()
    {
        var data = new ReferenceData([], []);

        Should.Throw<DomainException>(() => data.Calendar.IsWorkingDay(Date("2024-03-05")))
            .Message.ShouldContain("covers no year");
    }

    [Fact]
    public void Covered_years_can_be_declared_explicitly()
    {
        var calendar = new WorkingDayCalendar([], coveredYears: [2030]);

        calendar.IsWorkingDay(Date("2030-01-01")).ShouldBeTrue();
        calendar.Covers(2031).ShouldBeFalse();
    }
}
