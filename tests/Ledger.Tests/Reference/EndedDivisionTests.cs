using Ledger.Reference;
using Ledger.Reports;
using NodaTime;

namespace Ledger.Tests.Reference;

public sealed class EndedDivisionTests : IDisposable
{
    private static readonly ReferenceData Data = EndedDivisions.Shipped;
    private readonly ReferenceFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("320600")]
    [InlineData("320000")]
    [InlineData("100000")]
    public void An_ended_county_stays_within_its_parents(string jurisdiction)
    {
        Data.IsWithin("320611", jurisdiction).ShouldBeTrue();
        Data.Subtree(jurisdiction).ShouldContain("320611");
        Subtree.Of(Data, jurisdiction).ShouldContain("320611");
    }

    [Fact]
    public void An_ended_county_is_still_a_county_the_reference_data_knows()
    {
        DivisionCode.RequireCounty(Data, "320611", "countyCode").ShouldBe(EndedDivisions.Gangzha);
    }

    [Fact]
    public void A_county_that_ended_on_or_before_the_day_is_refused_naming_field_date_and_day()
    {
        var error = Should.Throw<DomainException>(() =>
            DivisionCode.RequireCountyExistingOn(Data, "320611", "countyCode", new LocalDate(2020, 7, 17), "the registration date"));

        error.Code.ShouldBe("division.ended");
        error.Message.ShouldStartWith("countyCode: 320611 港闸区 ended on 2020-07-17 (divisions.csv), on or before the registration date 2020-07-17");
    }

    [Fact]
    public void A_county_is_accepted_up_to_the_day_before_it_ended()
    {
        DivisionCode.RequireCountyExistingOn(Data, "320611", "countyCode", new LocalDate(2020, 7, 16), "the registration date")
            .ShouldBe(EndedDivisions.Gangzha);
    }

    [Fact]
    public void The_end_date_is_read_from_the_ended_on_column()
    {
        _folder.Append(ReferenceDataLoader.DivisionsFile, "330425,测试县,county,330400,2005-01-01");

        var data = ReferenceDataLoader.Load(_folder.Path);

        data.FindDivision("330425").ShouldNotBeNull().EndedOn.ShouldBe(new LocalDate(2005, 1, 1));
        data.FindDivision("330424").ShouldNotBeNull().EndedOn.ShouldBeNull();
        data.Subtree("330400").ShouldBe(["330400", "330424", "330425"]);
    }

    [Theory]
    [InlineData("2005/01/01")]
    [InlineData("2005-13-01")]
    [InlineData("current")]
    public void An_end_date_that_is_not_ISO_is_refused(string endedOn)
    {
        _folder.Append(ReferenceDataLoader.DivisionsFile, $"330425,测试县,county,330400,{endedOn}");

        var error = _folder.LoadFails();

        error.LineNumber.ShouldBe(6);
        error.Message.ShouldContain($"ended_on '{endedOn}' is not an ISO date (yyyy-MM-dd)");
    }

    [Theory]
    [InlineData("330498,测试县,county,330499,")]
    [InlineData("330498,测试县,county,330499,2021-01-01")]
    public void A_division_that_outlives_its_ended_parent_is_refused(string row)
    {
        _folder.Append(ReferenceDataLoader.DivisionsFile, "330499,测试市,city,330000,2020-01-01");
        _folder.Append(ReferenceDataLoader.DivisionsFile, row);

        var error = _folder.LoadFails();

        error.LineNumber.ShouldBe(7);
        error.Message.ShouldContain("but its parent 330499 ended on 2020-01-01; a division ends no later than its parent");
    }

    [Fact]
    public void A_division_that_ended_with_its_parent_loads()
    {
        _folder.Append(ReferenceDataLoader.DivisionsFile, "330499,测试市,city,330000,2020-01-01");
        _folder.Append(ReferenceDataLoader.DivisionsFile, "330498,测试县,county,330499,2020-01-01");

        ReferenceDataLoader.Load(_folder.Path).IsWithin("330498", "330000").ShouldBeTrue();
    }
}
