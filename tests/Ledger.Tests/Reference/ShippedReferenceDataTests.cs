using Ledger.Reference;

namespace Ledger.Tests.Reference;

public class ShippedReferenceDataTests
{
    private static readonly ReferenceData Data = ShippedReferenceData.Instance;

    [Theory]
    [InlineData("100000", "全国", DivisionLevel.Country, null)]
    [InlineData("320000", "江苏省", DivisionLevel.Province, "100000")]
    [InlineData("330000", "浙江省", DivisionLevel.Province, "100000")]
    [InlineData("320200", "无锡市", DivisionLevel.City, "320000")]
    [InlineData("320205", "锡山区", DivisionLevel.County, "320200")]
    [InlineData("320213", "梁溪区", DivisionLevel.County, "320200")]
    [InlineData("320214", "新吴区", DivisionLevel.County, "320200")]
    [InlineData("320281", "江阴市", DivisionLevel.County, "320200")]
    [InlineData("330100", "杭州市", DivisionLevel.City, "330000")]
    [InlineData("330200", "宁波市", DivisionLevel.City, "330000")]
    [InlineData("330400", "嘉兴市", DivisionLevel.City, "330000")]
    [InlineData("330402", "南湖区", DivisionLevel.County, "330400")]
    [InlineData("330411", "秀洲区", DivisionLevel.County, "330400")]
    [InlineData("330421", "嘉善县", DivisionLevel.County, "330400")]
    [InlineData("330424", "海盐县", DivisionLevel.County, "330400")]
    [InlineData("330481", "海宁市", DivisionLevel.County, "330400")]
    [InlineData("330482", "平湖市", DivisionLevel.County, "330400")]
    [InlineData("330483", "桐乡市", DivisionLevel.County, "330400")]
    [InlineData("110000", "北京市", DivisionLevel.Province, "100000")]
    [InlineData("710000", "台湾省", DivisionLevel.Province, "100000")]
    [InlineData("810000", "香港特别行政区", DivisionLevel.Province, "100000")]
    [InlineData("820000", "澳门特别行政区", DivisionLevel.Province, "100000")]
    public void Shipped_divisions_include_the_seed_jurisdictions_with_their_parents(string code, string name, DivisionLevel level, string? parent)
    {
        Data.FindDivision(code).ShouldBe(new Division(code, name, level, parent));
    }

    [Fact]
    public void Shipped_divisions_hold_every_province_level_division()
    {
        var provinces = Data.Divisions.Values.Where(d => d.Level == DivisionLevel.Province).ToList();

        provinces.Count.ShouldBe(34);
        provinces.ShouldAllBe(p => p.ParentCode == "100000" && p.Code.EndsWith("0000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("320000", 13, 95)]
    [InlineData("330000", 11, 90)]
    public void Shipped_divisions_hold_every_city_and_county_of_Jiangsu_and_Zhejiang(string province, int cities, int counties)
    {
        Data.Divisions.Values.Count(d => d.Level == DivisionLevel.City && d.ParentCode == province).ShouldBe(cities);
        Data.Divisions.Values.Count(d => d.Level == DivisionLevel.County && Data.IsWithin(d.Code, province)).ShouldBe(counties);
    }

    [Fact]
    public void Shipped_divisions_count_every_level_of_the_national_table()
    {
        // china-division 2.7.0 less its pseudo-cities, development zones and city stand-ins (divisions.SOURCE.md).
        int Count(DivisionLevel level) => Data.Divisions.Values.Count(d => d.Level == level);

        Count(DivisionLevel.Country).ShouldBe(1);
        Count(DivisionLevel.Province).ShouldBe(34);
        Count(DivisionLevel.City).ShouldBe(333);
        Count(DivisionLevel.County).ShouldBe(2_850);
        Data.Divisions.Values.ShouldAllBe(d => d.EndedOn == null);
    }

    [Fact]
    public void Every_shipped_division_but_the_nation_sits_under_a_listed_division_of_a_higher_level()
    {
        foreach (var division in Data.Divisions.Values.Where(d => d.Level != DivisionLevel.Country))
        {
            var parent = Data.FindDivision(division.ParentCode!).ShouldNotBeNull($"{division.Code}'s parent {division.ParentCode}");
            ((int)parent.Level).ShouldBeLessThan((int)division.Level, division.Code);
            Data.IsWithin(division.Code, "100000").ShouldBeTrue(division.Code);
        }
    }

    [Theory]
    [InlineData("440000", "广东省", DivisionLevel.Province, "100000")]
    [InlineData("440300", "深圳市", DivisionLevel.City, "440000")]
    [InlineData("440305", "南山区", DivisionLevel.County, "440300")]
    [InlineData("110105", "朝阳区", DivisionLevel.County, "110000")]   // Beijing's districts sit under the province-level row
    [InlineData("310115", "浦东新区", DivisionLevel.County, "310000")]
    [InlineData("120116", "滨海新区", DivisionLevel.County, "120000")]
    [InlineData("500229", "城口县", DivisionLevel.County, "500000")]   // a county of Chongqing, listed under 县 (500200) in the package
    [InlineData("429004", "仙桃市", DivisionLevel.County, "420000")]   // 省直辖县级行政区划
    [InlineData("419001", "济源市", DivisionLevel.County, "410000")]
    [InlineData("469001", "五指山市", DivisionLevel.County, "460000")]
    [InlineData("659001", "石河子市", DivisionLevel.County, "650000")] // 自治区直辖县级行政区划
    [InlineData("152527", "太仆寺旗", DivisionLevel.County, "152500")]
    [InlineData("540102", "城关区", DivisionLevel.County, "540100")]
    [InlineData("650102", "天山区", DivisionLevel.County, "650100")]
    [InlineData("441900", "东莞市", DivisionLevel.City, "440000")]
    [InlineData("620200", "嘉峪关市", DivisionLevel.City, "620000")]
    public void Shipped_divisions_hold_every_province_with_its_cities_and_counties(string code, string name, DivisionLevel level, string parent)
    {
        Data.FindDivision(code).ShouldBe(new Division(code, name, level, parent));
    }

    [Theory]
    [InlineData("441900")] // 东莞市
    [InlineData("442000")] // 中山市
    [InlineData("460400")] // 儋州市
    [InlineData("620200")] // 嘉峪关市
    public void Cities_without_counties_are_city_rows_with_nothing_below(string city)
    {
        Data.FindDivision(city).ShouldNotBeNull().Level.ShouldBe(DivisionLevel.City);
        Data.Subtree(city).ShouldBe([city]);
    }

    [Theory]
    [InlineData("110100")] // 市辖区 of Beijing
    [InlineData("500100")] // 市辖区 of Chongqing
    [InlineData("500200")] // 县 of Chongqing
    [InlineData("429000")] // 省直辖县级行政区划 of Hubei
    [InlineData("659000")] // 自治区直辖县级行政区划 of Xinjiang
    [InlineData("620201")] // the package's stand-in county for 嘉峪关市
    [InlineData("320576")] // 苏州工业园区, a development zone
    public void Pseudo_cities_stand_ins_and_development_zones_are_not_divisions(string code)
    {
        Data.FindDivision(code).ShouldBeNull();
    }

    [Fact]
    public void No_county_code_is_a_statistical_development_zone_code()
    {
        Data.Divisions.Values.Where(d => d.Level == DivisionLevel.County).ShouldAllBe(d => d.Code[4] != '7');
    }

    [Theory]
    [InlineData("110000", 16)] // Beijing: 16 districts
    [InlineData("500000", 38)] // Chongqing: 26 districts and 12 counties
    [InlineData("420000", 103)]
    public void A_province_subtree_counts_its_counties(string province, int counties)
    {
        Data.Subtree(province).Count(code => Data.FindDivision(code)!.Level == DivisionLevel.County).ShouldBe(counties);
    }

    [Fact]
    public void Wuxi_districts_merged_in_2015_are_not_current_divisions()
    {
        // 崇安区, 南长区 and 北塘区 became 梁溪区 (320213); codes issued before stay valid in a USCC only.
        Data.FindDivision("320202").ShouldBeNull();
        Data.FindDivision("320203").ShouldBeNull();
        Data.FindDivision("320204").ShouldBeNull();
    }

    [Fact]
    public void Shipped_tiers_are_the_six_rungs_of_the_ladder()
    {
        Data.Tiers.Keys.Order().ShouldBe(
        [
            "innovative-sme", "municipal-srdi", "national-little-giant",
            "national-single-champion", "provincial-hidden-champion", "provincial-srdi",
        ]);

        var littleGiant = Data.FindTier("national-little-giant").ShouldNotBeNull();
        littleGiant.NameZh.ShouldBe("国家级专精特新\"小巨人\"");
        littleGiant.Rank.ShouldBe(4);
        littleGiant.RecognisingLevel.ShouldBe(DivisionLevel.Country);
        littleGiant.ValidityYears.ShouldBe(3);
        littleGiant.Prerequisites.ShouldBe(["provincial-srdi"]);

        Data.FindTier("municipal-srdi").ShouldNotBeNull().NameZh.ShouldBe("市级\"专精特新\"(培育)企业");
        Data.FindTier("provincial-srdi").ShouldNotBeNull().Prerequisites.ShouldBe(["innovative-sme"]);
        Data.FindTier("provincial-hidden-champion").ShouldNotBeNull().Prerequisites.ShouldBe(["provincial-srdi"]);
        Data.FindTier("national-single-champion").ShouldNotBeNull().Prerequisites.ShouldBeEmpty();
        Data.FindTier("innovative-sme").ShouldNotBeNull().RecognisingLevel.ShouldBe(DivisionLevel.Province);
        Data.FindTier("municipal-srdi").ShouldNotBeNull().RecognisingLevel.ShouldBe(DivisionLevel.City);
    }

    [Theory]
    [InlineData("330424", "330424", true)]
    [InlineData("330424", "330400", true)]
    [InlineData("330424", "330000", true)]
    [InlineData("330424", "100000", true)]
    [InlineData("330424", "320200", false)]
    [InlineData("330424", "320000", false)]
    [InlineData("330424", "330481", false)]
    [InlineData("320205", "320200", true)]
    [InlineData("330400", "330424", false)]
    [InlineData("999999", "100000", false)]
    public void IsWithin_follows_the_parent_chain(string division, string jurisdiction, bool expected)
    {
        Data.IsWithin(division, jurisdiction).ShouldBe(expected);
    }

    [Fact]
    public void Shipped_holiday_table_covers_2019_to_2026()
    {
        Data.Calendar.CoveredYears.ShouldBe([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    }

    [Theory]
    [InlineData(2019)]
    [InlineData(2020)]
    [InlineData(2021)]
    [InlineData(2022)]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Every_year_lists_all_seven_public_holidays(int year)
    {
        var names = Data.Calendar.Days.Values
            .Where(d => d.Date.Year == year && d.Kind == CalendarDayKind.Holiday)
            .Select(d => d.Name)
            .ToList();

        foreach (var holiday in new[] { "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节" })
        {
            names.ShouldContain(n => n.Contains(holiday, StringComparison.Ordinal), $"{year} lists no {holiday}");
        }
    }
}
