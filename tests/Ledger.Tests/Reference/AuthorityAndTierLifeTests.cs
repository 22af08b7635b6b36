using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Reference;

/// <summary>tiers.csv's valid_from / valid_to with their sources, and authorities.csv, the usual names of the recognising departments.</summary>
public sealed class AuthorityAndTierLifeTests : IDisposable
{
    private readonly ReferenceFolder _folder = new();
    private static readonly ReferenceData Shipped = ShippedReferenceData.Instance;

    public void Dispose() => _folder.Dispose();

    private static void ShouldPointAt(ReferenceDataException error, string file, int line, string reason)
    {
        error.FileName.ShouldBe(file);
        error.LineNumber.ShouldBe(line);
        error.Message.ShouldContain(reason);
    }

    private const string Tiers = ReferenceDataLoader.TiersFile;
    private const string Authorities = ReferenceDataLoader.AuthoritiesFile;
    private const string Row = "national-little-giant,小巨人,Little giant,3,country,3,";

    [Fact]
    public void Every_shipped_tier_has_a_start_with_its_source()
    {
        Shipped.Tiers.Values.ShouldAllBe(t => t.ValidFromSource.Length > 0 && (t.ValidTo == null) == (t.ValidToSource == null));
        var innovative = Shipped.FindTier("innovative-sme").ShouldNotBeNull();
        innovative.ValidFrom.ShouldBe(new LocalDate(2022, 6, 1));
        innovative.ValidFromSource.ShouldContain("工信部企业〔2022〕63号");
        Shipped.FindTier("national-little-giant").ShouldNotBeNull().ValidFromSource.ShouldContain("工信厅企业函〔2018〕381号");
        Shipped.FindTier("national-single-champion").ShouldNotBeNull().ValidFromSource.ShouldContain("工信部产业〔2016〕105号");
        Shipped.FindTier("provincial-srdi").ShouldNotBeNull().ValidFromSource.ShouldContain("工信部企业〔2013〕264号");
    }

    [Fact]
    public void An_innovative_sme_of_2018_lies_outside_the_shipped_tiers_life()
    {
        var innovative = Shipped.FindTier("innovative-sme").ShouldNotBeNull();
        innovative.ExistsOn(new LocalDate(2018, 6, 1)).ShouldBeFalse();
        innovative.ExistsOn(new LocalDate(2022, 5, 31)).ShouldBeFalse();
        innovative.ExistsOn(new LocalDate(2022, 6, 1)).ShouldBeTrue();
    }

    [Fact]
    public void A_tier_row_loads_its_life()
    {
        _folder.Append(Tiers, Row + ",2018-11-26,工信厅企业函〔2018〕381号,2026-06-30,2026年修订办法");

        var tier = ReferenceDataLoader.Load(_folder.Path).FindTier("national-little-giant").ShouldNotBeNull();

        (tier.ValidFrom, tier.ValidFromSource, tier.ValidTo, tier.ValidToSource)
            .ShouldBe((new LocalDate(2018, 11, 26), "工信厅企业函〔2018〕381号", new LocalDate(2026, 6, 30), "2026年修订办法"));
    }

    [Fact]
    public void A_tier_without_a_start_is_refused() =>
        ShouldPointAt(Fails(Row + ",,工信厅企业函〔2018〕381号,,"), Tiers, 4, "valid_from is empty");

    [Fact]
    public void A_start_without_its_source_is_refused() =>
        ShouldPointAt(Fails(Row + ",2018-11-26,,,"), Tiers, 4, "valid_from_source is empty");

    [Fact]
    public void A_start_that_is_not_an_ISO_date_is_refused() =>
        ShouldPointAt(Fails(Row + ",2018/11/26,s,,"), Tiers, 4, "valid_from '2018/11/26' is not an ISO date (yyyy-MM-dd)");

    [Fact]
    public void An_end_before_the_start_is_refused() =>
        ShouldPointAt(Fails(Row + ",2018-11-26,s,2018-11-25,t"), Tiers, 4, "valid_to 2018-11-25 is before valid_from 2018-11-26");

    [Fact]
    public void An_end_without_its_source_is_refused() =>
        ShouldPointAt(Fails(Row + ",2018-11-26,s,2026-06-30,"), Tiers, 4, "valid_to_source is empty");

    [Fact]
    public void A_source_for_an_end_that_is_not_there_is_refused() =>
        ShouldPointAt(Fails(Row + ",2018-11-26,s,,t"), Tiers, 4, "valid_to_source is given but valid_to is empty");

    [Theory]
    [InlineData("江苏省工业和信息化厅", "320000")]
    [InlineData("江苏省经信委", "320000")]
    [InlineData("浙江省经信厅", "330000")]
    [InlineData("无锡市工业和信息化局", "320200")]
    [InlineData("嘉兴市经济和信息化局", "330400")]
    [InlineData("工信部", "100000")]
    [InlineData(" 江苏省 工业和信息化厅\u3000", "320000")]
    public void The_usual_names_of_the_departments_map_to_their_division_codes(string printed, string code) =>
        Shipped.Authorities.Find(printed).ShouldNotBeNull().DivisionCode.ShouldBe(code);

    [Fact]
    public void Every_city_of_Jiangsu_and_Zhejiang_has_its_department_listed()
    {
        var cities = Shipped.Divisions.Values.Where(d => d.Level == DivisionLevel.City && d.ParentCode is "320000" or "330000").Select(d => d.Code);

        cities.ShouldAllBe(code => Shipped.Authorities.Names.Any(n => n.DivisionCode == code));
        Shipped.Authorities.Names.ShouldAllBe(n => n.Source.Length > 0 && Shipped.FindDivision(n.DivisionCode) != null);
    }

    [Fact]
    public void A_column_of_printed_names_maps_row_by_row_and_reports_the_rows_it_could_not_map()
    {
        var mapping = Shipped.Authorities.Map(["江苏省工信厅", "省经信厅", null, "嘉兴市经信局", "无锡市科技局"]);

        mapping.Rows.Select(r => r?.DivisionCode).ShouldBe(["320000", null, null, "330400", null]);
        mapping.UnmappedRows.ShouldBe([1, 2, 4]);
    }

    [Fact]
    public void An_authority_of_an_unknown_division_is_refused()
    {
        _folder.Append(Authorities, "江苏省工业和信息化厅,320000,现名");

        ShouldPointAt(_folder.LoadFails(), Authorities, 5, "division_code 320000 of '江苏省工业和信息化厅' is not in divisions.csv");
    }

    [Fact]
    public void An_authority_of_a_county_is_refused()
    {
        _folder.Append(Authorities, "海盐县经济和信息化局,330424,现名");

        ShouldPointAt(_folder.LoadFails(), Authorities, 5, "is 海盐县, a county-level division");
    }

    [Fact]
    public void A_name_listed_twice_is_refused_even_when_spaced_differently()
    {
        _folder.Append(Authorities, "嘉兴市 经济和信息化局,330400,现名");

        ShouldPointAt(_folder.LoadFails(), Authorities, 5, "duplicate authority name '嘉兴市 经济和信息化局' (first on line 4)");
    }

    [Fact]
    public void An_authority_without_a_source_is_refused()
    {
        _folder.Append(Authorities, "嘉兴市经信局,330400,");

        ShouldPointAt(_folder.LoadFails(), Authorities, 5, "source is empty");
    }

    [Fact]
    public void A_missing_authorities_file_is_named()
    {
        File.Delete(Path.Combine(_folder.Path, Authorities));

        _folder.LoadFails().Message.ShouldStartWith($"{Authorities}: file not found");
    }

    private ReferenceDataException Fails(string tierRow)
    {
        _folder.Append(Tiers, tierRow);
        return _folder.LoadFails();
    }
}
