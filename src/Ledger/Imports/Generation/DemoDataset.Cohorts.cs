using Ledger.Policies;
using NodaTime;

namespace Ledger.Imports.Generation;

/// <summary>
/// The demo's policies, lists and cohorts. Amounts, tiers, triggers, stacking, effective dates and funding are those of
/// the source data's award-policies.csv; document numbers, list dates and payment dates are illustrative (SOURCES.md).
/// </summary>
public static partial class DemoDataset
{
    private const string InnovativeSme = "innovative-sme";
    private const string Municipal = "municipal-srdi";
    private const string Provincial = "provincial-srdi";
    private const string LittleGiant = "national-little-giant";
    private const string HiddenChampion = "provincial-hidden-champion";

    private const AwardTrigger Recognition = AwardTrigger.Recognition;
    private const AwardTrigger Renewal = AwardTrigger.Renewal;

    private static LocalDate D(int year, int month, int day) => new(year, month, day);

    private static readonly PolicyRow XishanPolicy = new("xishan-srdi", XishanCode, new PolicyTerms(
        "锡山区专精特新奖励", "锡政办发〔2021〕18号", D(2021, 1, 1), D(2021, 1, 1), null,
        [
            new(LittleGiant, Recognition, Money.Of(500_000m), AmountKind.UpTo),
            new(Provincial, Recognition, Money.Of(300_000m), AmountKind.UpTo),
            new(Municipal, Recognition, Money.Of(100_000m), AmountKind.UpTo),
            new(LittleGiant, Renewal, Money.Of(150_000m), AmountKind.Fixed),
            new(Provincial, Renewal, Money.Of(100_000m), AmountKind.Fixed),
            new(Municipal, Renewal, Money.Of(50_000m), AmountKind.Fixed),
        ],
        Stacking.HighestOnly, [new(FundingLevel.County, 100m)], 5, null));

    private static readonly PolicyRow JiaxingPolicy = new("jiaxing-srdi", JiaxingCode, new PolicyTerms(
        "嘉兴市专精特新奖励", "嘉政办发〔2022〕9号", D(2022, 1, 1), D(2022, 1, 1), null,
        [
            new(LittleGiant, Recognition, Money.Of(1_500_000m), AmountKind.Fixed),
            new(HiddenChampion, Recognition, Money.Of(500_000m), AmountKind.Fixed),
        ],
        Stacking.Cumulative, [new(FundingLevel.City, 50m), new(FundingLevel.County, 50m)], 5, null));

    // The recognising authorities by the names authorities.csv lists: the current ones since the 2018–2019 reform, the
    // former ones before it.
    private const string Miit = "工业和信息化部";
    private const string Jiangsu = "江苏省工业和信息化厅";
    private const string JiangsuBeforeReform = "江苏省经济和信息化委员会";
    private const string Wuxi = "无锡市工业和信息化局";
    private const string Zhejiang = "浙江省经济和信息化厅";
    private const string ZhejiangBeforeReform = "浙江省经济和信息化委员会";

    private static readonly Listing GiantsOf2019 = new(LittleGiant, Recognition, D(2019, 6, 5), Miit, "工信部企业函〔2019〕153号");
    private static readonly Listing GiantsOf2020 = new(LittleGiant, Recognition, D(2020, 11, 30), Miit, "工信厅企业函〔2020〕287号");
    private static readonly Listing GiantsOf2021 = new(LittleGiant, Recognition, D(2021, 7, 19), Miit, "工信厅企业函〔2021〕197号");
    private static readonly Listing GiantsOf2022 = new(LittleGiant, Recognition, D(2022, 8, 15), Miit, "工信厅企业函〔2022〕191号");
    private static readonly Listing GiantsOf2023 = new(LittleGiant, Recognition, D(2023, 7, 24), Miit, "工信厅企业函〔2023〕160号");
    private static readonly Listing GiantsOf2019Renewed = new(LittleGiant, Renewal, D(2022, 5, 27), Miit, "工信厅企业函〔2022〕108号");

    private static readonly Listing JiangsuOf2017 = new(Provincial, Recognition, D(2017, 12, 20), JiangsuBeforeReform, "苏经信中小〔2017〕805号");
    private static readonly Listing JiangsuOf2019 = new(Provincial, Recognition, D(2019, 12, 23), Jiangsu, "苏工信中小〔2019〕602号");
    private static readonly Listing JiangsuOf2020 = new(Provincial, Recognition, D(2020, 12, 21), Jiangsu, "苏工信中小〔2020〕648号");
    private static readonly Listing JiangsuOf2021 = new(Provincial, Recognition, D(2021, 12, 20), Jiangsu, "苏工信中小〔2021〕703号");
    private static readonly Listing JiangsuOf2022 = new(Provincial, Recognition, D(2022, 11, 21), Jiangsu, "苏工信中小〔2022〕581号");
    private static readonly Listing JiangsuOf2019Renewed = new(Provincial, Renewal, D(2022, 11, 28), Jiangsu, "苏工信中小〔2022〕590号");
    private static readonly Listing JiangsuInnovativeOf2022 = new(InnovativeSme, Recognition, D(2022, 9, 26), Jiangsu, "苏工信中小〔2022〕452号");

    private static readonly Listing WuxiOf2019 = new(Municipal, Recognition, D(2019, 10, 21), Wuxi, "锡工信发〔2019〕88号");
    private static readonly Listing WuxiOf2020 = new(Municipal, Recognition, D(2020, 10, 19), Wuxi, "锡工信发〔2020〕91号");
    private static readonly Listing WuxiOf2021 = new(Municipal, Recognition, D(2021, 10, 18), Wuxi, "锡工信发〔2021〕95号");
    private static readonly Listing WuxiOf2022 = new(Municipal, Recognition, D(2022, 10, 17), Wuxi, "锡工信发〔2022〕97号");
    private static readonly Listing WuxiOf2019Renewed = new(Municipal, Renewal, D(2022, 9, 19), Wuxi, "锡工信发〔2022〕80号");

    private static readonly Listing ZhejiangOf2017 = new(Provincial, Recognition, D(2017, 12, 18), ZhejiangBeforeReform, "浙经信企业〔2017〕198号");
    private static readonly Listing ZhejiangOf2019 = new(Provincial, Recognition, D(2019, 12, 16), Zhejiang, "浙经信企业〔2019〕205号");
    private static readonly Listing ZhejiangOf2020 = new(Provincial, Recognition, D(2020, 12, 14), Zhejiang, "浙经信企业〔2020〕213号");
    private static readonly Listing ZhejiangOf2021 = new(Provincial, Recognition, D(2021, 12, 13), Zhejiang, "浙经信企业〔2021〕219号");
    private static readonly Listing ChampionsOf2022 = new(HiddenChampion, Recognition, D(2022, 12, 26), Zhejiang, "浙经信企业〔2022〕236号");
    private static readonly Listing ChampionsOf2023 = new(HiddenChampion, Recognition, D(2023, 12, 25), Zhejiang, "浙经信企业〔2023〕241号");

    private static readonly string[] Xishan = [XishanCode];

    /// <summary>嘉兴市's counties, 海盐县 and 海宁市 first.</summary>
    private static readonly string[] Jiaxing = ["330424", "330481", "330402", "330411", "330421", "330482", "330483"];

    private static Plan Paid(params (int Count, LocalDate? On)[] tranches) => new(tranches);

    /// <summary>
    /// Xishan: 217 enterprises, every one holding an SRDI designation on 2022-12-31, whose 2022 payments (awards of 2021
    /// paid in 2022, of 2022 paid in 2022) come to 37,100,000.00 with the lowerings below. Jiaxing: 104 little giants by
    /// the end of 2022 (the 2022 list paid 1,500,000 each, half by the city, half by the county), more in 2023, and
    /// hidden champions, some of them little giants too (cumulative pays both).
    /// </summary>
    private static readonly Cohort[] Cohorts =
    [
        new("xs-giant-2019-renewed", 5, Xishan,
            new(JiangsuOf2017), new(GiantsOf2019), new(GiantsOf2019Renewed, Paid((5, D(2022, 7, 15))))),
        new("xs-giant-2020", 6, Xishan, new(JiangsuOf2019), new(GiantsOf2020)),
        new("xs-giant-2021", 14, Xishan,
            new(JiangsuOf2020), new(GiantsOf2021, Paid((1, D(2021, 9, 15)), (13, D(2022, 3, 18))))),
        new("xs-provincial-2021-giant-2022", 10, Xishan,
            new(JiangsuOf2021, Paid((10, D(2022, 3, 18)))), new(GiantsOf2022, Paid((8, D(2022, 10, 28)), (2, D(2023, 1, 13))))),
        new("xs-provincial-2020-giant-2022", 10, Xishan,
            new(JiangsuOf2020), new(GiantsOf2022, Paid((9, D(2022, 10, 28)), (1, D(2023, 2, 17))))),
        new("xs-provincial-2020", 10, Xishan, new Step(JiangsuOf2020)),
        new("xs-municipal-2021-provincial-2021", 14, Xishan,
            new(WuxiOf2021, Paid((14, D(2021, 12, 15)))), new(JiangsuOf2021, Paid((14, D(2022, 3, 25))))),
        new("xs-provincial-2021", 24, Xishan,
            new(JiangsuOf2021, Paid((24, D(2022, 3, 18)))), new(GiantsOf2023, Paid((3, D(2023, 9, 15))), Members: 3)),
        new("xs-municipal-2021-provincial-2022", 12, Xishan,
            new(WuxiOf2021, Paid((8, D(2021, 12, 15)), (4, D(2022, 1, 14)))), new(JiangsuInnovativeOf2022, Members: 4),
            new(JiangsuOf2022, Paid((8, D(2022, 12, 16)), (4, D(2023, 3, 17))))),
        new("xs-innovative-provincial-2022", 12, Xishan,
            new(JiangsuInnovativeOf2022, Members: 8), new(JiangsuOf2022, Paid((8, D(2022, 12, 16)), (4, D(2023, 3, 17))))),
        new("xs-municipal-2021", 30, Xishan, new Step(WuxiOf2021, Paid((20, D(2021, 12, 22)), (10, D(2022, 2, 25))))),
        new("xs-municipal-2022", 40, Xishan, new Step(WuxiOf2022, Paid((38, D(2022, 12, 23)), (2, D(2023, 2, 17))))),
        new("xs-municipal-2019-renewed", 17, Xishan, new(WuxiOf2019), new(WuxiOf2019Renewed, Paid((17, D(2022, 11, 15))))),
        new("xs-provincial-2019-renewed", 10, Xishan,
            new(JiangsuOf2019), new(JiangsuOf2019Renewed, Paid((8, D(2022, 12, 23)), (2, D(2023, 1, 13))))),
        new("xs-municipal-2020", 3, Xishan, new Step(WuxiOf2020)),

        new("jx-giant-2019", 5, Jiaxing, new(ZhejiangOf2017, Members: 2), new(GiantsOf2019), new(GiantsOf2019Renewed)),
        new("jx-giant-2020", 17, Jiaxing, new(ZhejiangOf2019, Members: 8), new(GiantsOf2020)),
        new("jx-giant-2021", 36, Jiaxing, new(ZhejiangOf2020, Members: 18), new(GiantsOf2021)),
        new("jx-giant-2022", 46, Jiaxing,
            new(ZhejiangOf2021, Members: 23),
            new(GiantsOf2022, County: Paid((30, D(2022, 11, 15)), (16, D(2023, 3, 17))), City: Paid((20, D(2022, 12, 16)), (26, D(2023, 4, 21)))),
            new(ChampionsOf2022, County: Paid((2, D(2023, 3, 17))), City: Paid((2, D(2023, 4, 21))), Members: 2)),
        new("jx-giant-2023", 10, Jiaxing,
            new(ZhejiangOf2021, Members: 5),
            new(GiantsOf2023, County: Paid((10, D(2023, 11, 17))), City: Paid((6, D(2023, 12, 15)), (4, D(2024, 3, 15))))),
        new("jx-champion-2022", 6, Jiaxing,
            new(ZhejiangOf2020), new(ChampionsOf2022, County: Paid((6, D(2023, 3, 17))), City: Paid((6, D(2023, 4, 21))))),
        new("jx-champion-2023", 4, Jiaxing,
            new(ZhejiangOf2021), new(ChampionsOf2023, County: Paid((4, D(2024, 3, 15))), City: Paid((4, D(2024, 3, 15))))),
    ];

    /// <summary>Up-to awards the district determined lower (锡山's are 最高 amounts); three of them paid in 2022.</summary>
    private static readonly Lowering[] DemoLowerings =
    [
        new("xs-giant-2021", 0, LittleGiant, 450_000m, "按企业上年度研发投入核定奖励金额"),
        new("xs-provincial-2021", 0, Provincial, 250_000m, "按绩效评价结果核定奖励金额"),
        new("xs-municipal-2022", 0, Municipal, 80_000m, "按企业上年度研发投入核定奖励金额"),
        new("xs-municipal-2022", 1, Municipal, 70_000m, "年度奖励资金总额控制，按比例核减"),
        new("xs-innovative-provincial-2022", 11, Provincial, 280_000m, "按绩效评价结果核定奖励金额"),
    ];

    private static readonly Return[] DemoReturns =
    [
        new("xs-innovative-provincial-2022", 8, Provincial, FundingLevel.County, D(2023, 3, 24), "收款账户已销户，银行退回", D(2023, 4, 14)),
        new("jx-giant-2022", 3, LittleGiant, FundingLevel.County, D(2022, 11, 22), "户名与账号不符，银行退回", D(2022, 12, 9)),
    ];

    private static readonly Claw[] DemoClawbacks =
    [
        new("xs-municipal-2021", 0, Municipal, FundingLevel.County, 100_000m, D(2023, 6, 16), "复核发现申报研发投入数据不实，追回奖励资金", 100_000m, D(2023, 7, 14)),
        new("xs-municipal-2022", 5, Municipal, FundingLevel.County, 50_000m, D(2023, 10, 20), "同一事项已享受市级奖励，追回重复部分", null, null),
    ];
}
