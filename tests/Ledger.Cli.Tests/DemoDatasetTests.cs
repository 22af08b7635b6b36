using Ledger.Enterprises;
using Ledger.PublishedFigures;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Cli.Tests;

/// <summary>The demo dataset as shipped beside the binaries (Demo/dataset), checked from its files alone.</summary>
public sealed class DemoDatasetTests
{
    private const string Xishan = "320205";
    private const string Jiaxing = "330400";

    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "Demo", "dataset");

    private static readonly ReferenceData Reference = ReferenceDataLoader.LoadDefault();

    private static readonly Lazy<ImportFolder> Dataset = new(() => new ImportFolder(Shipped, Reference));

    private static ImportFolder Files => Dataset.Value;

    private IEnumerable<ImportFolder.Row> XishanPayments
    {
        get
        {
            var xishan = Files.Enterprises.Where(e => e["county_code"] == Xishan).Select(e => e["uscc"]).ToHashSet(StringComparer.Ordinal);
            return Files.Payments.Where(p => xishan.Contains(p["uscc"]));
        }
    }

    [Fact]
    public void Xishan_payments_of_2022_sum_to_the_published_37_100_000_with_no_return_or_repayment_that_year()
    {
        var payments = XishanPayments.ToList();
        var vouchers = payments.Select(p => p["voucher_no"]).ToHashSet(StringComparer.Ordinal);

        payments.Where(p => p["paid_on"].StartsWith("2022-", StringComparison.Ordinal)).Sum(p => ImportFolder.Amount(p["amount_yuan"]))
            .ShouldBe(37_100_000.00m);
        Files.Returns.ShouldNotContain(r => vouchers.Contains(r["voucher_no"]) && r["returned_on"].StartsWith("2022-", StringComparison.Ordinal));
        Files.Clawbacks.ShouldNotContain(c => payments.Any(p => p["uscc"] == c["uscc"]) && c["repaid_on"].StartsWith("2022-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_published_figures_are_the_source_rows_as_they_are()
    {
        var source = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "published-figures.csv"));
        var shipped = File.ReadAllLines(Path.Combine(Shipped, "published-figures.csv")).Select(l => l.TrimStart('\uFEFF')).ToList();

        shipped[0].ShouldBe(source[0]);
        shipped.Skip(1).ShouldBe(source.Where(l => l.StartsWith(Xishan + ",", StringComparison.Ordinal) || l.StartsWith(Jiaxing + ",", StringComparison.Ordinal)));
    }

    [Fact]
    public void At_most_217_Xishan_enterprises_and_all_217_hold_an_SRDI_designation_at_the_end_of_2022()
    {
        var measures = PublishedMeasures.LoadDefault(Reference);

        Files.Enterprises.Count(e => e["county_code"] == Xishan).ShouldBeLessThanOrEqualTo(217);
        Stock(measures.Find("srdi_enterprise_count")!.Tiers, c => c == Xishan).ShouldBe(217);
        Stock(measures.Find("national_little_giant_count")!.Tiers, c => Reference.IsWithin(c, Jiaxing)).ShouldBe(104);
    }

    [Fact]
    public void Every_payment_stays_within_its_award_share_under_the_policy_rules()
    {
        GenerateCommandTests.AssertPaymentsWithinShares(Files);
        Files.Policies.Select(p => p.Key).ShouldBe(["xishan-srdi", "jiaxing-srdi"], ignoreOrder: true);
    }

    [Fact]
    public void Every_payment_stays_within_its_budget_line()
    {
        GenerateCommandTests.AssertPaymentsWithinBudgets(Files);
    }

    [Fact]
    public void Every_payment_is_on_a_working_day_on_or_after_its_award_was_determined()
    {
        foreach (var payment in Files.Payments)
        {
            var award = Files.Awards[ImportFolder.AwardKey(payment)];
            var paidOn = ImportFolder.Date(payment["paid_on"]);
            paidOn.ShouldBeGreaterThanOrEqualTo(award.DeterminedOn, payment.ToString());
            Reference.Calendar.IsWorkingDay(paidOn).ShouldBeTrue(payment.ToString());
        }
    }

    [Fact]
    public void Every_uscc_is_valid_and_unique_every_name_fictional_every_authority_one_that_recognises_the_tier_there()
    {
        foreach (var enterprise in Files.Enterprises)
        {
            Uscc.TryParse(enterprise["uscc"], out _, out var problem).ShouldBeTrue(problem);
            enterprise["name"].ShouldStartWith("示例");
            enterprise["name"].ShouldEndWith("有限公司");
        }
        Files.Enterprises.Select(e => e["uscc"]).Distinct().Count().ShouldBe(Files.Enterprises.Count);
        Files.Enterprises.Select(e => e["name"]).Distinct().Count().ShouldBe(Files.Enterprises.Count);
        var counties = Files.Enterprises.ToDictionary(e => e["uscc"], e => e["county_code"], StringComparer.Ordinal);
        foreach (var recognition in Files.Recognitions)
        {
            var authority = Reference.Authorities.Find(recognition["authority"]);
            authority.ShouldNotBeNull($"{recognition}: {recognition["authority"]} is not in authorities.csv");
            var tier = Reference.FindTier(recognition["tier"])!;
            authority.DivisionCode.ShouldBe(Reference.RecognisingDivision(tier, counties[recognition["uscc"]])!.Code, recognition.ToString());
            tier.ExistsOn(ImportFolder.Date(recognition["decided_on"])).ShouldBeTrue(recognition.ToString());
        }
    }

    [Fact]
    public void The_reconciliation_has_explanation_lines_and_the_books_their_messy_parts()
    {
        var payments = XishanPayments.ToList();
        payments.ShouldContain(p => p["decided_on"].StartsWith("2021-", StringComparison.Ordinal) && p["paid_on"].StartsWith("2022-", StringComparison.Ordinal));
        payments.ShouldContain(p => p["decided_on"].StartsWith("2022-", StringComparison.Ordinal) && p["paid_on"].StartsWith("2023-", StringComparison.Ordinal));
        Files.Lowerings.Count.ShouldBeGreaterThanOrEqualTo(3);
        Files.Recognitions.ShouldContain(r => r["trigger"] == "renewal");
        Files.Payments.ShouldContain(p => p["funding_source"] == "city");
        Files.Returns.ShouldNotBeEmpty();
        Files.Clawbacks.ShouldNotBeEmpty();
        Files.Awards.Values.ShouldContain(a => a.Policy.Key == "xishan-srdi" && a.Rule.Tier == "national-little-giant" && a.Amount == 200_000m,
            "a provincial SRDI rising to little giant is paid the difference");
    }

    [Fact]
    public async Task The_files_are_what_generate_profile_demo_writes()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ledger-demo-{Guid.NewGuid():N}");
        try
        {
            var (code, _, error) = await GenerateCommandTests.RunAsync("generate", "--profile", "demo", "--out", folder);

            code.ShouldBe(ExitCodes.Ok, error);
            var repository = Path.Combine(GenerateCommandTests.RepositoryRoot(), "src", "Ledger.Cli", "Demo", "dataset");
            foreach (var file in Imports.Generation.ImportFileFormat.AllFiles)
            {
                var written = await File.ReadAllBytesAsync(Path.Combine(folder, file));
                (await File.ReadAllBytesAsync(Path.Combine(repository, file))).ShouldBe(written, $"{file}: remake the dataset (SOURCES.md)");
                (await File.ReadAllBytesAsync(Path.Combine(Shipped, file))).ShouldBe(written, file);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Enterprises holding one of <paramref name="tiers"/> on 2022-12-31: recognised (or renewed without a base) by then, valid then.</summary>
    private static int Stock(IReadOnlyList<string> tiers, Func<string, bool> inJurisdiction)
    {
        var end = new LocalDate(2022, 12, 31);
        var counties = Files.Enterprises.ToDictionary(e => e["uscc"], e => e["county_code"], StringComparer.Ordinal);
        return Files.Recognitions
            .Where(r => inJurisdiction(counties[r["uscc"]]) && tiers.Contains(r["tier"]) && ImportFolder.Date(r["decided_on"]) <= end)
            .GroupBy(r => (Uscc: r["uscc"], Tier: r["tier"]))
            .Where(g =>
            {
                var years = Reference.FindTier(g.Key.Tier)!.ValidityYears;
                var ordered = g.OrderBy(r => ImportFolder.Date(r["decided_on"])).ToList();
                var validTo = ImportFolder.Date(ordered[0]["decided_on"]).PlusYears(years).PlusDays(-1);
                foreach (var renewal in ordered.Skip(1))
                {
                    renewal["trigger"].ShouldBe("renewal", $"{renewal}: a second recognition of a tier while the first is valid");
                    validTo = validTo.PlusYears(years);
                }
                return validTo >= end;
            })
            .Select(g => g.Key.Uscc)
            .Distinct()
            .Count();
    }
}
