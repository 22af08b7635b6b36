using Ledger.Reports;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>
/// The reports against totals computed independently (<see cref="IndependentTotals"/>) over a random history with
/// returns, clawbacks and repayments, lowered awards and payments across years: to the fen, on both bases, for counties,
/// a city and a province, now and as of two earlier instants — and an answer for a past instant that later events do
/// not change.
/// </summary>
public sealed class ReportTotalsTests : LedgerFixture
{
    private static readonly (string Jurisdiction, string[] Counties)[] Jurisdictions =
    [
        (TestReference.Xishan, [TestReference.Xishan]),
        (TestReference.Haiyan, [TestReference.Haiyan]),
        (TestReference.Jiaxing, [TestReference.Haiyan]),
        ("320000", [TestReference.Xishan]),
        ("100000", [TestReference.Xishan, TestReference.Haiyan]),
    ];

    [Fact]
    public async Task Totals_match_a_second_computation_from_the_events_now_and_as_of_two_earlier_instants()
    {
        var instants = new List<Instant>();
        var game = await GameHistory.PlayAsync(App, Clock, seed: 2025, steps: 250, async step =>
        {
            if (step is 90 or 170)
            {
                instants.Add(SystemClock.Instance.GetCurrentInstant());
                await Task.Delay(5);
            }
        });
        foreach (var kind in new[] { "pay", "return", "demand-clawback", "repay-clawback", "redetermine" })
        {
            game.AcceptedKinds.GetValueOrDefault(kind).ShouldBeGreaterThan(0, $"the history has no accepted {kind}");
        }

        var answers = new List<decimal>();
        foreach (Instant? asOf in instants.Cast<Instant?>().Append(null))
        {
            var point = await App.Reports.PointAsync(asOf, CancellationToken.None);
            foreach (var (jurisdiction, counties) in Jurisdictions)
            {
                foreach (var year in new[] { 2023, 2024, 2025 })
                {
                    var expected = await IndependentTotals.OfAsync(App.Store.DataSource, counties, year, point.Position);
                    var paid = await App.Reports.TotalsAsync(new TotalsQuery(year, jurisdiction, AsOf: asOf));
                    var determined = await App.Reports.TotalsAsync(new TotalsQuery(year, jurisdiction, Basis: TotalsBasis.Determined, AsOf: asOf));
                    var at = $"{jurisdiction} {year} as of {asOf?.ToString() ?? "now"}";
                    paid.Point.Position.ShouldBe(point.Position, at);
                    (paid.Amounts.Paid.Yuan, paid.Amounts.Returned.Yuan, paid.Amounts.Repaid.Yuan, paid.Amounts.ClawedBack.Yuan)
                        .ShouldBe((expected.Paid, expected.Returned, expected.Repaid, expected.ClawedBack), at);
                    paid.Total.Yuan.ShouldBe(expected.NetPaid, at);
                    determined.Total.Yuan.ShouldBe(expected.Determined, at);
                    paid.Amounts.Enterprises.ShouldBe((int)expected.PaidEnterprises, at);
                    paid.Rows.Sum(r => r.Amounts.NetPaid.Yuan).ShouldBe(expected.NetPaid, $"{at}: rows add up to the total");
                    answers.Add(paid.Total.Yuan + determined.Total.Yuan);
                }
            }
        }
        answers.ShouldContain(a => a != 0m, "the history moved no money in the years asked");
    }

    [Fact]
    public async Task Present_totals_from_the_increments_equal_the_movements_read_as_of_now()
    {
        await GameHistory.PlayAsync(App, Clock, seed: 7, steps: 150);
        var now = SystemClock.Instance.GetCurrentInstant() + Duration.FromSeconds(1);
        foreach (var by in Enum.GetValues<TotalsBy>())
        {
            foreach (var year in new[] { 2023, 2024, 2025 })
            {
                var present = await App.Reports.TotalsAsync(new TotalsQuery(year, By: by));
                var asOf = await App.Reports.TotalsAsync(new TotalsQuery(year, By: by, AsOf: now));
                present.Amounts.ShouldBe(asOf.Amounts, $"{year} by {by}");
                present.Rows.ShouldBe(asOf.Rows, $"{year} by {by}");
            }
        }
    }
}
