using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Reference;

public sealed class ReferenceDataLoaderTests : IDisposable
{
    private readonly ReferenceFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string TiersFile = ReferenceDataLoader.TiersFile;
    private const string DivisionsFile = ReferenceDataLoader.DivisionsFile;
    private const string DaysFile = ReferenceDataLoader.NonWorkingDaysFile;

    private static void ShouldPointAt(ReferenceDataException error, string file, int line, string reason)
    {
        error.FileName.ShouldBe(file);
        error.LineNumber.ShouldBe(line);
        error.Message.ShouldStartWith($"{file} line {line}: ");
        error.Message.ShouldContain(reason);
    }

    [Fact]
    public void A_valid_folder_loads_tiers_divisions_and_calendar()
    {
        var data = ReferenceDataLoader.Load(_folder.Path);

        data.Tiers.Count.ShouldBe(2);
        data.FindTier("provincial-srdi").ShouldNotBeNull().NameZh.ShouldBe("省级\"专精特新\"中小企业");
        data.Divisions.Count.ShouldBe(4);
        data.IsWithin("330424", "330000").ShouldBeTrue();
        data.Calendar.IsWorkingDay(new LocalDate(2024, 1, 1)).ShouldBeFalse();
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_line_ends_are_accepted()
    {
        // Excel and WPS save CSV as UTF-8 with a byte order mark and CRLF.
        File.WriteAllText(Path.Combine(_folder.Path, TiersFile), ReferenceFolder.Tiers.ReplaceLineEndings("\r\n"), new System.Text.UTF8Encoding(true));

        ReferenceDataLoader.Load(_folder.Path).Tiers.Count.ShouldBe(2);
    }

    [Fact]
    public void A_missing_directory_is_refused()
    {
        var missing = Path.Combine(_folder.Path, "nowhere");

        var error = Should.Throw<ReferenceDataException>(() => ReferenceDataLoader.Load(missing));

        error.Message.ShouldContain(missing);
        error.Message.ShouldContain(ReferenceDataLoader.DirectoryVariable);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        File.Delete(Path.Combine(_folder.Path, DivisionsFile));

        var error = _folder.LoadFails();

        error.FileName.ShouldBe(DivisionsFile);
        error.Message.ShouldStartWith($"{DivisionsFile}: file not found");
    }

    [Fact]
    public void A_wrong_header_is_refused_on_line_1()
    {
        _folder.Write(TiersFile, ReferenceFolder.Tiers.Replace("name_en", "english", StringComparison.Ordinal));

        ShouldPointAt(_folder.LoadFails(), TiersFile, 1, "expected 'code,name_zh,name_en,");
    }

    [Fact]
    public void Tier_row_with_too_few_columns_is_refused()
    {
        _folder.Append(TiersFile, "national-little-giant,小巨人,Little giant,3,country,3");

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "expected 11 columns");
    }

    [Fact]
    public void Tier_rank_that_is_not_a_number_is_refused()
    {
        _folder.Append(TiersFile, "national-little-giant,小巨人,Little giant,three,country,3," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "rank 'three' is not a positive whole number");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("3.5")]
    public void Tier_validity_that_is_not_a_positive_whole_number_is_refused(string years)
    {
        _folder.Append(TiersFile, $"national-little-giant,小巨人,Little giant,3,country,{years}," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, $"validity_years '{years}' is not a positive whole number");
    }

    [Fact]
    public void Tier_with_an_unknown_recognising_level_is_refused()
    {
        _folder.Append(TiersFile, "national-little-giant,小巨人,Little giant,3,MIIT,3," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "unknown recognising_level 'MIIT'");
    }

    [Fact]
    public void Duplicate_tier_code_is_refused()
    {
        _folder.Append(TiersFile, "innovative-sme,创新型中小企业,Innovative SME,1,province,3," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "duplicate tier code 'innovative-sme' (first on line 2)");
    }

    [Fact]
    public void Tier_prerequisite_naming_an_unknown_tier_is_refused()
    {
        _folder.Append(TiersFile, "national-little-giant,小巨人,Little giant,3,country,3,provincial-srdi;provincal-srdi" + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "prerequisite 'provincal-srdi' of tier 'national-little-giant' is not a tier");
    }

    [Fact]
    public void Tier_prerequisite_must_rank_lower()
    {
        _folder.Write(TiersFile, """
            code,name_zh,name_en,rank,recognising_level,validity_years,prerequisites,valid_from,valid_from_source,valid_to,valid_to_source
            innovative-sme,创新型中小企业,Innovative SME,1,province,3,provincial-srdi,2022-06-01,s,,
            provincial-srdi,省级专精特新中小企业,Provincial SRDI SME,2,province,3,innovative-sme,2013-07-16,s,,
            """);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 2, "must rank below tier 'innovative-sme'");
    }

    [Fact]
    public void An_unclosed_quote_is_refused()
    {
        _folder.Append(TiersFile, "national-little-giant,\"小巨人,Little giant,3,country,3," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 4, "quoted field is not closed");
    }

    [Fact]
    public void Division_row_with_too_many_columns_is_refused()
    {
        _folder.Append(DivisionsFile, "330402,南湖区,county,330400,,extra");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "expected 5 columns");
    }

    [Fact]
    public void Division_with_an_unknown_level_is_refused()
    {
        _folder.Append(DivisionsFile, "330402,南湖区,district,330400,");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "unknown level 'district'");
    }

    [Fact]
    public void Duplicate_division_code_is_refused()
    {
        _folder.Append(DivisionsFile, "330424,海盐,county,330400,");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "duplicate division code '330424' (first on line 5)");
    }

    [Theory]
    [InlineData("33042")]
    [InlineData("3304021")]
    [InlineData("33040A")]
    public void Division_code_that_is_not_6_digits_is_refused(string code)
    {
        _folder.Append(DivisionsFile, $"{code},南湖区,county,330400,");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, $"division code '{code}' is not 6 digits");
    }

    [Fact]
    public void Division_whose_parent_is_missing_is_refused()
    {
        _folder.Append(DivisionsFile, "320205,锡山区,county,320200,");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "parent_code 320200 of division 320205 is not in the file");
    }

    [Fact]
    public void Division_without_parent_that_is_not_the_country_is_refused()
    {
        _folder.Append(DivisionsFile, "320000,江苏省,province,,");

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "has no parent_code");
    }

    [Theory]
    [InlineData("330402,南湖区,county,330424,")]
    [InlineData("330100,杭州市,city,330400,")]
    [InlineData("320000,江苏省,province,330000,")]
    [InlineData("330401,嘉兴市区,province,330400,")]
    public void Division_whose_level_does_not_sit_under_its_parent_is_refused(string row)
    {
        _folder.Append(DivisionsFile, row);

        ShouldPointAt(_folder.LoadFails(), DivisionsFile, 6, "cannot sit under");
    }

    [Fact]
    public void Division_may_be_listed_before_its_parent()
    {
        _folder.Write(DivisionsFile, """
            code,name,level,parent_code,ended_on
            330424,海盐县,county,330400,
            330400,嘉兴市,city,330000,
            330000,浙江省,province,100000,
            100000,全国,country,,
            """);

        ReferenceDataLoader.Load(_folder.Path).IsWithin("330424", "100000").ShouldBeTrue();
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024/10/01")]
    [InlineData("2024-2-30")]
    [InlineData("20241001")]
    public void Date_that_is_not_ISO_is_refused(string date)
    {
        _folder.Append(DaysFile, $"{date},holiday,国庆节");

        ShouldPointAt(_folder.LoadFails(), DaysFile, 10, $"date '{date}' is not an ISO date (yyyy-MM-dd)");
    }

    [Fact]
    public void Unknown_day_kind_is_refused()
    {
        _folder.Append(DaysFile, "2024-10-01,off,国庆节");

        ShouldPointAt(_folder.LoadFails(), DaysFile, 10, "unknown kind 'off'");
    }

    [Fact]
    public void Make_up_working_day_on_a_weekday_is_refused()
    {
        _folder.Append(DaysFile, "2024-10-08,workday,国庆节");

        ShouldPointAt(_folder.LoadFails(), DaysFile, 10, "2024-10-08 is a Tuesday");
    }

    [Fact]
    public void Duplicate_date_is_refused()
    {
        _folder.Append(DaysFile, "2024-01-01,holiday,元旦");

        ShouldPointAt(_folder.LoadFails(), DaysFile, 10, "duplicate date 2024-01-01 (first on line 7)");
    }

    [Fact]
    public void Day_row_with_wrong_column_count_is_refused()
    {
        _folder.Append(DaysFile, "2024-10-01,holiday");

        ShouldPointAt(_folder.LoadFails(), DaysFile, 10, "expected 3 columns");
    }

    [Theory]
    [InlineData(2019)]
    [InlineData(2023)]
    [InlineData(2026)]
    public void A_year_missing_from_the_holiday_table_is_refused(int year)
    {
        _folder.Write(DaysFile, ReferenceFolder.NonWorkingDays(skippedYears: year));

        var error = _folder.LoadFails();

        error.FileName.ShouldBe(DaysFile);
        error.LineNumber.ShouldBeNull();
        error.Message.ShouldBe($"{DaysFile}: no rows for {year}; the file must hold the State Council holiday schedule of every year from 2019 to 2026");
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        _folder.Write(TiersFile, ReferenceFolder.Tiers + "\n\nbad-tier,坏,Bad,x,province,3," + ReferenceFolder.Life);

        ShouldPointAt(_folder.LoadFails(), TiersFile, 5, "rank 'x'");
    }
}
