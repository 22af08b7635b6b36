using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Support;

/// <summary>The six tiers of DESIGN §2 and the divisions the scenarios need, built by hand.</summary>
public static class TestReference
{
    public static readonly ReferenceData Data = new(
        [
            new Tier("innovative-sme", "创新型中小企业", "Innovative SME", 1, DivisionLevel.Province, 3, [], D(2022, 6, 1), "工信部企业〔2022〕63号"),
            new Tier("municipal-srdi", "市级“专精特新”企业", "Municipal SRDI", 2, DivisionLevel.City, 3, [], D(2013, 7, 16), "工信部企业〔2013〕264号"),
            new Tier("provincial-srdi", "省级“专精特新”中小企业", "Provincial SRDI SME", 3, DivisionLevel.Province, 3, ["innovative-sme"], D(2013, 7, 16), "工信部企业〔2013〕264号"),
            new Tier("national-little-giant", "国家级专精特新“小巨人”", "National little giant", 4, DivisionLevel.Country, 3, ["provincial-srdi"], D(2018, 11, 26), "工信厅企业函〔2018〕381号"),
            new Tier("provincial-hidden-champion", "省级“隐形冠军”", "Provincial hidden champion", 4, DivisionLevel.Province, 3, ["provincial-srdi"], D(2016, 12, 1), "浙江省隐形冠军首批名单"),
            new Tier("national-single-champion", "国家级制造业“单项冠军”", "National single champion", 5, DivisionLevel.Country, 3, [], D(2016, 3, 16), "工信部产业〔2016〕105号"),
            // A tier that ended, for the rule that a recognition after a tier's life is refused.
            new Tier("provincial-tech-sme", "省级科技型中小企业", "Provincial tech SME", 1, DivisionLevel.Province, 3, [], D(2017, 1, 1), "试点通知", D(2021, 12, 31), "废止通知"),
        ],
        [
            new Division("100000", "中华人民共和国", DivisionLevel.Country, null),
            new Division("320000", "江苏省", DivisionLevel.Province, "100000"),
            new Division("320200", "无锡市", DivisionLevel.City, "320000"),
            new Division("320205", "锡山区", DivisionLevel.County, "320200"),
            new Division("320206", "惠山区", DivisionLevel.County, "320200"),
            new Division("320500", "苏州市", DivisionLevel.City, "320000"),
            new Division("320506", "吴中区", DivisionLevel.County, "320500"),
            new Division("330000", "浙江省", DivisionLevel.Province, "100000"),
            new Division("330400", "嘉兴市", DivisionLevel.City, "330000"),
            new Division("330402", "南湖区", DivisionLevel.County, "330400"),
            new Division("330424", "海盐县", DivisionLevel.County, "330400"),
        ]);

    public const string Xishan = "320205";
    public const string Huishan = "320206";
    public const string Wuzhong = "320506";
    public const string Jiaxing = "330400";
    public const string Haiyan = "330424";
    public const string Nanhu = "330402";

    public static readonly Instant At = Instant.FromUtc(2024, 3, 1, 2, 0);

    public static LocalDate D(int year, int month, int day) => new(year, month, day);
}
