using Ledger.Awards;
using Ledger.Policies;
using Ledger.Tests.Support;

namespace Ledger.Tests.Awards;

public class FundingSplitTests
{
    [Fact]
    public void Fen_remainder_of_an_even_split_goes_to_the_first_listed_level() =>
        EventDump.Of(FundingSplit.For(
                Money.Of(100000.01m),
                [new FundingShare(FundingLevel.City, 50m), new FundingShare(FundingLevel.County, 50m)],
                "330400", "330424", TestReference.Data))
            .ShouldBe(EventDump.Of([
                new FundingAmount(FundingLevel.City, "330400", 50m, Money.Of(50000.01m)),
                new FundingAmount(FundingLevel.County, "330424", 50m, Money.Of(50000.00m)),
            ]));

    [Theory]
    [InlineData("100000.00", "33340.00", "33330.00", "33330.00")]
    [InlineData("1.00", "0.34", "0.33", "0.33")]
    [InlineData("100.01", "33.35", "33.33", "33.33")]
    [InlineData("0.05", "0.03", "0.01", "0.01")]
    public void Three_way_split_cuts_later_shares_to_the_fen_and_the_first_takes_the_rest(string total, string first, string second, string third)
    {
        var shares = FundingSplit.Apportion(Money.Parse(total), [
            new FundingAmount(FundingLevel.County, "330424", 33.34m, Money.Zero),
            new FundingAmount(FundingLevel.City, "330400", 33.33m, Money.Zero),
            new FundingAmount(FundingLevel.Province, "330000", 33.33m, Money.Zero),
        ]);
        shares.Select(s => s.Amount.ToString()).ShouldBe([first, second, third]);
        shares.Aggregate(Money.Zero, (sum, s) => sum + s.Amount).ShouldBe(Money.Parse(total));
    }

    [Fact]
    public void Share_at_a_lower_level_is_charged_to_the_enterprise_division_at_that_level() =>
        FundingSplit.For(
                Money.Of(300000m),
                [new FundingShare(FundingLevel.Province, 20m), new FundingShare(FundingLevel.City, 30m), new FundingShare(FundingLevel.County, 50m)],
                "330000", "330424", TestReference.Data)
            .Select(s => (s.DivisionCode, s.Amount.ToString()))
            .ShouldBe([("330000", "60000.00"), ("330400", "90000.00"), ("330424", "150000.00")]);
}
