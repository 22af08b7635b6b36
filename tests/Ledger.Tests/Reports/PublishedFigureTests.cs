using Ledger.PublishedFigures;
using Ledger.Reports;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Reports;

/// <summary>Published figures: every row of the published file loads, reloading writes nothing, a newer publication is a revision that supersedes without erasing.</summary>
public sealed class PublishedFigureTests : LedgerFixture
{
    private static readonly Caller Admin = new("admin", "admin");
    private static string Shipped => Path.Combine(AppContext.BaseDirectory, "data", PublishedFigureFile.Name);

    private IReadOnlyList<FigureInput> Read(string path) => PublishedFigureFile.Read(path, App.Reference, App.Figures.Measures);

    [Fact]
    public async Task Every_row_of_the_published_file_loads_once_and_a_second_load_writes_nothing()
    {
        var figures = Read(Shipped);
        figures.Count.ShouldBe(File.ReadAllLines(Shipped).Length - 1);
        figures.Single(f => f.Measure == "national_little_giant_count" && f.JurisdictionCode == "100000").LowerBound.ShouldBeTrue("1.2萬余家 is a floor");
        figures.Single(f => f.Measure == "srdi_sme_count").LowerBound.ShouldBeTrue("超9.8萬家 is a floor");
        figures.Single(f => f.Measure == "innovative_sme_count").LowerBound.ShouldBeFalse();
        figures.Single(f => f.Measure == "srdi_reward_total").ShouldSatisfyAllConditions(
            f => f.Value.ShouldBe(37_100_000m), f => f.Basis.ShouldBe(FigureBasis.Paid), f => f.JurisdictionCode.ShouldBe("320205"));

        (await App.SendAsync(new RecordPublishedFigures(figures, "", default), Admin)).ShouldBe(figures.Count);
        var head = (await App.Store.HeadAsync()).Position;
        (await App.SendAsync(new RecordPublishedFigures(Read(Shipped), "", default), Admin)).ShouldBe(0);
        (await App.Store.HeadAsync()).Position.ShouldBe(head);

        var xishan = await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022));
        (xishan.Published, xishan.Ledger, xishan.Variance, xishan.Reconciled).ShouldBe((37_100_000m, 0m, -37_100_000m, false));
        xishan.PublishedQuote.ShouldBe("2022年锡山对“专精特新”企业奖励资金合计达3710万元");
    }

    [Fact]
    public async Task A_newer_publication_revises_the_figure_and_the_old_one_still_answers_as_of_before()
    {
        var original = new FigureInput(TestReference.Xishan, 2022, "srdi_reward_total", FigureBasis.Paid, 37_100_000m, "yuan", false, "区政府工作报告", "3710万元");
        await App.SendAsync(new RecordPublishedFigures([original], "", default), Admin);
        var before = SystemClock.Instance.GetCurrentInstant();

        var conflicting = original with { Value = 37_200_000m, Source = "区财政决算" };
        var refused = await Should.ThrowAsync<DomainException>(() => App.SendAsync(new RecordPublishedFigures([conflicting], "", default), Admin));
        refused.Message.ShouldContain("37100000");
        refused.Message.ShouldContain("37200000");
        await App.SendAsync(new RevisePublishedFigure(conflicting, "决算数更新", "", default), Admin);

        (await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022))).Published.ShouldBe(37_200_000m);
        (await App.Reports.ReconcileAsync(new ReconcileQuery(TestReference.Xishan, 2022, AsOf: before))).Published.ShouldBe(37_100_000m);
        var figure = await App.Figures.LoadAsync(TestReference.Xishan, 2022, "srdi_reward_total", FigureBasis.Paid, null, CancellationToken.None);
        (figure.Version, figure.State.Revision, figure.State.Statement!.Source).ShouldBe((2L, 1, "区财政决算"));
    }

    [Fact]
    public async Task A_file_with_bad_rows_lists_each_with_its_line_and_column_and_nothing_is_recorded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"figures-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, [
            "jurisdiction_code,jurisdiction_name,year,measure,value,unit,basis,source,quote",
            "320205,无锡市锡山区,2022,srdi_reward_total,37100000,yuan,paid,来源,引文",
            "999999,不存在,2022,srdi_reward_total,1,yuan,paid,来源,",
            "320205,无锡市锡山区,20x2,srdi_reward_total,1,yuan,paid,来源,",
            "320205,无锡市锡山区,2022,srdi_reward_total,1.005,yuan,paid,来源,",
            "320205,无锡市锡山区,2022,srdi_enterprise_count,217,enterprises,paid,来源,",
            "320205,无锡市锡山区,2022,made_up_measure,1,yuan,paid,来源,",
            "320205,无锡市锡山区,2022,srdi_reward_total,1,yuan,weekly,来源,",
        ]);
        try
        {
            var error = Should.Throw<InputFileException>(() => Read(path));
            error.Errors.Select(e => (e.Line, e.Column)).ShouldBe([
                (3, "jurisdiction_code"), (4, "year"), (5, "value"), (6, "basis"), (7, "measure"), (8, "basis"),
            ]);
            error.Errors.ShouldAllBe(e => e.File == Path.GetFileName(path));
        }
        finally
        {
            File.Delete(path);
        }
        var header = Path.Combine(Path.GetTempPath(), $"figures-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(header, ["jurisdiction,year,value"]);
        try
        {
            var error = Should.Throw<InputFileException>(() => Read(header));
            error.Errors.ShouldContain(e => e.Column == "jurisdiction_code" && e.Reason == "missing column");
            error.Errors.ShouldContain(e => e.Column == "jurisdiction" && e.Reason.StartsWith("unknown column", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(header);
        }
        (await App.Store.HeadAsync()).Position.ShouldBe(0);
    }
}
