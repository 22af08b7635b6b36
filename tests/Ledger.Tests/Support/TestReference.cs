using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Support;

/// <summary>The six tiers of DESIGN §2 and the divisions the scenarios need, built by hand.</summary>
public static class TestReference
{
    public static readonly ReferenceData Data = new(
        [
            new Tier("innovative-sme", "创新型中小企业", "Innovative SME", 1, DivisionLevel.Province, 3, []),
            new Tier("municipal-srdi", "市级“专精特新”企业", "Municipal SRDI", 2, DivisionLevel.City, 3, []),
            new Tier("provincial-srdi", "省级“专精特新”中小企业", "Provincial SRDI SME", 3, DivisionLevel.Province, 3, ["innovative-sme"]),
            new Tier("national-little-giant", "国家级专精特新“小巨人”", "National little giant", 4, DivisionLevel.Country, 3, ["provincial-srdi"]),
            new Tier("provincial-hidden-champion", "省级“隐形冠军”", "Provincial hidden champion", 4, DivisionLevel.Province, 3, ["provincial-srdi"]),
            new Tier("national-single-champion", "国家级制造业“单项冠军”", "National single champion", 5, DivisionLevel.Country, 3, []),
        ],
        [
            new Division("100000", "中华人民共和国", DivisionLevel.Country, null),
            new Division("320000", "江苏省", DivisionLevel.Province, "100000"),
            new Division("320200", "无锡市", DivisionLevel.City, "320000"),
            new Division("320205", "锡山区", DivisionLevel.County, "320200"),
            new Division("330000", "浙江省", DivisionLevel.Province, "100000"),
            new Division("330400", "嘉兴市", DivisionLevel.City, "330000"),
            new Division("330402", "南湖区", DivisionLevel.County, "330400"),
            new Division("330424", "海盐县", DivisionLevel.County, "330400"),
        ]);

    public const string Xishan = "320205";
    public const string Jiaxing = "330400";
    public const string Haiyan = "330424";
    public const string Nanhu = "330402";

    public static readonly Instant At = Instant.FromUtc(2024, 3, 1, 2, 0);

    public static LocalDate D(int year, int month, int day) => new(year, month, day);
}
