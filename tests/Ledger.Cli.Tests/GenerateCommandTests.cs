using System.Text.RegularExpressions;
using Ledger.Enterprises;
using Ledger.Reference;

namespace Ledger.Cli.Tests;

/// <summary>Import files of 2,000 generated enterprises (seed 7), written once for the tests of <c>ledger generate</c>.</summary>
public sealed class GeneratedFolder : IAsyncLifetime
{
    public const int Enterprises = 2000;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"ledger-generate-{Guid.NewGuid():N}");

    public string Directory => Path.Combine(Root, "seed-7");

    internal ImportFolder Files { get; private set; } = null!;

    public string Output { get; private set; } = "";

    public string Error { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (code, output, error) = await GenerateCommandTests.RunAsync("generate", "--enterprises", $"{Enterprises}", "--seed", "7", "--out", Directory);
        code.ShouldBe(ExitCodes.Ok, error);
        (Output, Error) = (output, error);
        Files = new ImportFolder(Directory, ReferenceDataLoader.LoadDefault());
    }

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(Root))
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        return Task.CompletedTask;
    }
}

public sealed partial class GenerateCommandTests(GeneratedFolder generated) : IClassFixture<GeneratedFolder>
{
    private ImportFolder Files => generated.Files;

    internal static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_same_enterprises_and_seed_give_byte_identical_files_and_another_seed_other_files()
    {
        var again = Path.Combine(generated.Root, "seed-7-again");
        var other = Path.Combine(generated.Root, "seed-8");

        (await RunAsync("generate", "--enterprises", $"{GeneratedFolder.Enterprises}", "--seed", "7", "--out", again)).Code.ShouldBe(ExitCodes.Ok);
        (await RunAsync("generate", "--enterprises", $"{GeneratedFolder.Enterprises}", "--seed", "8", "--out", other)).Code.ShouldBe(ExitCodes.Ok);

        foreach (var file in Imports.Generation.ImportFileFormat.GeneratedFiles)
        {
            File.ReadAllBytes(Path.Combine(again, file)).ShouldBe(File.ReadAllBytes(Path.Combine(generated.Directory, file)), file);
        }
        File.ReadAllBytes(Path.Combine(other, "recognitions.csv")).ShouldNotBe(File.ReadAllBytes(Path.Combine(generated.Directory, "recognitions.csv")));
        File.ReadAllBytes(Path.Combine(other, "payments.csv")).ShouldNotBe(File.ReadAllBytes(Path.Combine(generated.Directory, "payments.csv")));
    }

    [Fact]
    public void Every_file_starts_with_a_byte_order_mark_and_the_header_of_docs_import_format()
    {
        var documented = DocumentedColumns();
        documented.Count.ShouldBe(9);
        foreach (var file in Imports.Generation.ImportFileFormat.GeneratedFiles)
        {
            var bytes = File.ReadAllBytes(Path.Combine(generated.Directory, file));
            bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, file);
            File.ReadLines(Path.Combine(generated.Directory, file)).First().TrimStart('\uFEFF').ShouldBe(documented[file], file);
        }
        foreach (var (file, columns) in Imports.Generation.ImportFileFormat.Columns)
        {
            string.Join(',', columns).ShouldBe(documented[file], file);
        }
    }

    [Fact]
    public void Every_file_has_rows_and_the_summary_counts_them()
    {
        Files.Enterprises.Count.ShouldBe(GeneratedFolder.Enterprises);
        foreach (var file in Imports.Generation.ImportFileFormat.GeneratedFiles)
        {
            var rows = File.ReadLines(Path.Combine(generated.Directory, file)).Count() - 1;
            rows.ShouldBeGreaterThan(0, file);
            generated.Output.ShouldContain($"{file}", Case.Sensitive);
        }
        generated.Output.ShouldMatch(@"enterprises\.csv\s+2,000 rows");
        generated.Error.ShouldContain("generate: enterprises 2,000/2,000");
    }

    [Fact]
    public void Every_uscc_is_valid_and_unique_and_every_name_visibly_fictional()
    {
        foreach (var enterprise in Files.Enterprises)
        {
            Uscc.TryParse(enterprise["uscc"], out _, out var problem).ShouldBeTrue(problem);
            enterprise["name"].ShouldStartWith("示例");
            Files.Reference.FindDivision(enterprise["county_code"])!.Level.ShouldBe(DivisionLevel.County);
        }
        Files.Enterprises.Select(e => e["uscc"]).Distinct().Count().ShouldBe(Files.Enterprises.Count);
    }

    [Fact]
    public void Every_recognition_names_the_government_that_recognises_its_tier_there_on_a_day_the_tier_exists()
    {
        var counties = Files.Enterprises.ToDictionary(e => e["uscc"], e => e["county_code"], StringComparer.Ordinal);
        foreach (var recognition in Files.Recognitions)
        {
            var tier = Files.Reference.FindTier(recognition["tier"]);
            tier.ShouldNotBeNull(recognition.ToString());
            tier.ExistsOn(ImportFolder.Date(recognition["decided_on"])).ShouldBeTrue(recognition.ToString());
            var authority = recognition["authority"];
            var code = Files.Reference.Authorities.Find(authority)?.DivisionCode ?? authority;
            code.ShouldBe(Files.Reference.RecognisingDivision(tier, counties[recognition["uscc"]])!.Code, recognition.ToString());
        }
    }

    [Fact]
    public void Every_payment_is_on_a_working_day_on_or_after_its_award_was_determined()
    {
        foreach (var payment in Files.Payments)
        {
            var award = Files.Awards.GetValueOrDefault(ImportFolder.AwardKey(payment));
            award.ShouldNotBeNull($"{payment}: no recognition determines the award it pays");
            var paidOn = ImportFolder.Date(payment["paid_on"]);
            paidOn.ShouldBeGreaterThanOrEqualTo(award.DeterminedOn, payment.ToString());
            Files.Reference.Calendar.IsWorkingDay(paidOn).ShouldBeTrue(payment.ToString());
        }
    }

    [Fact]
    public void Every_payment_stays_within_the_share_the_import_determines_and_clawbacks_within_what_was_paid()
    {
        AssertPaymentsWithinShares(Files);
    }

    [Fact]
    public void Every_payment_stays_within_its_budget_line()
    {
        AssertPaymentsWithinBudgets(Files);
    }

    [Fact]
    public void The_messy_parts_of_real_books_are_all_there()
    {
        var recognitions = Files.Recognitions;
        var renewals = recognitions.Where(r => r["trigger"] == "renewal").ToList();
        renewals.ShouldNotBeEmpty();
        renewals.ShouldContain(r => !recognitions.Any(b => b["uscc"] == r["uscc"] && b["tier"] == r["tier"] && b["trigger"] == "recognition"),
            "a renewal whose recognition predates the books");
        var ranks = Files.Reference.Tiers.Values.ToDictionary(t => t.Code, t => t.Rank);
        recognitions.Where(r => r["trigger"] == "recognition" && r["tier"] is "municipal-srdi" or "provincial-srdi" or "national-little-giant")
            .GroupBy(r => r["uscc"])
            .Count(g => g.Select(r => r["tier"]).Distinct().Count() == 3)
            .ShouldBeGreaterThan(0, "municipal → provincial → national upgrades");
        recognitions.ShouldContain(r => r["authority"] == "100000", "an authority by its code");
        recognitions.ShouldContain(r => r["authority"] == "工业和信息化部", "an authority by its name");

        Files.Lowerings.ShouldNotBeEmpty();
        Files.Returns.ShouldNotBeEmpty();
        Files.Clawbacks.ShouldContain(c => c["repaid_yuan"].Length > 0);
        Files.Clawbacks.ShouldContain(c => c["repaid_yuan"].Length == 0);
        Files.Payments.ShouldContain(p => ImportFolder.Date(p["paid_on"]).Year > ImportFolder.Date(p["decided_on"]).Year, "paid in a later year");
        Files.Payments.GroupBy(ImportFolder.AwardKey).ShouldContain(g => g.Select(p => p["funding_source"]).Distinct().Count() == 2, "split funding");
        Files.Policies.ShouldContain(p => p.Split.Count == 2);
        Files.Policies.Select(p => p.Stacking).Distinct().Count().ShouldBe(2);
        Files.Awards.Values.ShouldContain(a => a.Policy.Stacking == "highest-only" && a.Rule.Trigger == "recognition" && a.Amount < a.Rule.Amount
            && !Files.Lowerings.Any(l => ImportFolder.AwardKey(l) == a.Key), "an upgrade paying the difference");
        Files.Payments.Where(p => Files.Returns.Any(r => r["voucher_no"] == p["voucher_no"]))
            .ShouldContain(p => Files.Payments.Count(q => ImportFolder.AwardKey(q) == ImportFolder.AwardKey(p) && q["funding_source"] == p["funding_source"]) > 1,
                "a returned payment paid again");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task No_enterprises_exits_2(string enterprises)
    {
        var (code, _, error) = await RunAsync("generate", "--enterprises", enterprises, "--out", Path.Combine(generated.Root, "none"));

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("--enterprises");
        System.IO.Directory.Exists(Path.Combine(generated.Root, "none")).ShouldBeFalse();
    }

    [Fact]
    public async Task Without_enterprises_exits_2()
    {
        var (code, _, error) = await RunAsync("generate", "--out", Path.Combine(generated.Root, "none"));

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("--enterprises");
    }

    [Fact]
    public async Task A_folder_holding_import_files_is_refused_without_force_and_replaced_with_it()
    {
        var folder = Path.Combine(generated.Root, "occupied");
        System.IO.Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "payments.csv"), "old");
        await File.WriteAllTextAsync(Path.Combine(folder, "published-figures.csv"), "old");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "kept");

        var (refused, _, error) = await RunAsync("generate", "--enterprises", "10", "--out", folder);
        var (replaced, _, _) = await RunAsync("generate", "--enterprises", "10", "--out", folder, "--force");

        refused.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("payments.csv");
        error.ShouldContain("--force");
        replaced.ShouldBe(ExitCodes.Ok);
        (await File.ReadAllTextAsync(Path.Combine(folder, "payments.csv"))).ShouldStartWith("uscc,");
        File.Exists(Path.Combine(folder, "published-figures.csv")).ShouldBeFalse("an import file of an earlier run would be imported with the new ones");
        (await File.ReadAllTextAsync(Path.Combine(folder, "notes.txt"))).ShouldBe("kept");
    }

    [Fact]
    public async Task The_demo_profile_takes_no_enterprises_or_seed()
    {
        var (code, _, error) = await RunAsync("generate", "--profile", "demo", "--enterprises", "10", "--out", Path.Combine(generated.Root, "demo"));

        code.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain("--profile demo");
    }

    /// <summary>In date order per award and level: each payment fits what the share has not committed; clawbacks fit what was paid and not returned.</summary>
    internal static void AssertPaymentsWithinShares(ImportFolder files)
    {
        var returned = files.Returns.ToDictionary(r => r["voucher_no"], r => ImportFolder.Date(r["returned_on"]), StringComparer.Ordinal);
        var payments = files.Payments.GroupBy(p => (Award: ImportFolder.AwardKey(p), Level: p["funding_source"])).ToList();
        foreach (var group in payments)
        {
            var award = files.Awards.GetValueOrDefault(group.Key.Award);
            award.ShouldNotBeNull($"{group.First()}: no recognition determines the award it pays");
            award.Shares.ContainsKey(group.Key.Level).ShouldBeTrue($"{group.First()}: the award is not funded from {group.Key.Level}");
            var share = award.Shares[group.Key.Level].Amount;
            foreach (var payment in group)
            {
                var on = ImportFolder.Date(payment["paid_on"]);
                var committed = group.Where(p => p != payment && ImportFolder.Date(p["paid_on"]) <= on
                        && !(returned.TryGetValue(p["voucher_no"], out var r) && r <= on))
                    .Sum(p => ImportFolder.Amount(p["amount_yuan"]));
                (committed + ImportFolder.Amount(payment["amount_yuan"])).ShouldBeLessThanOrEqualTo(share, $"{payment}: above the share of {share}");
            }
        }
        files.Payments.Select(p => p["voucher_no"]).Distinct().Count().ShouldBe(files.Payments.Count, "vouchers are unique");
        var byVoucher = files.Payments.ToDictionary(p => p["voucher_no"], StringComparer.Ordinal);
        foreach (var r in files.Returns)
        {
            var payment = byVoucher.GetValueOrDefault(r["voucher_no"]);
            payment.ShouldNotBeNull($"{r}: returns a voucher nobody paid");
            ImportFolder.Date(r["returned_on"]).ShouldBeGreaterThanOrEqualTo(ImportFolder.Date(payment["paid_on"]), r.ToString());
        }
        var byShare = payments.ToDictionary(g => g.Key, g => g.ToList());
        foreach (var clawback in files.Clawbacks)
        {
            var key = ImportFolder.AwardKey(clawback);
            var demanded = ImportFolder.Date(clawback["demanded_on"]);
            var paid = byShare.GetValueOrDefault((key, clawback["funding_source"]), [])
                .Where(p => ImportFolder.Date(p["paid_on"]) <= demanded
                    && !(returned.TryGetValue(p["voucher_no"], out var r) && r <= demanded))
                .Sum(p => ImportFolder.Amount(p["amount_yuan"]));
            var earlier = files.Clawbacks.Where(c => c != clawback && ImportFolder.AwardKey(c) == key && c["funding_source"] == clawback["funding_source"]
                && ImportFolder.Date(c["demanded_on"]) <= demanded).Sum(c => ImportFolder.Amount(c["amount_yuan"]));
            (earlier + ImportFolder.Amount(clawback["amount_yuan"])).ShouldBeLessThanOrEqualTo(paid, $"{clawback}: more than was paid");
            if (clawback["repaid_yuan"].Length > 0)
            {
                ImportFolder.Amount(clawback["repaid_yuan"]).ShouldBeLessThanOrEqualTo(ImportFolder.Amount(clawback["amount_yuan"]), clawback.ToString());
                ImportFolder.Date(clawback["repaid_on"]).ShouldBeGreaterThanOrEqualTo(demanded, clawback.ToString());
                clawback["repayment_voucher"].ShouldNotBeEmpty();
            }
        }
    }

    /// <summary>
    /// Per line (the enterprise's division at the payment's level × year of paid_on × level), all payments — returned ones
    /// too — fit the appropriation; the lines that returns and repayments credit exist.
    /// </summary>
    internal static void AssertPaymentsWithinBudgets(ImportFolder files)
    {
        var counties = files.Enterprises.ToDictionary(e => e["uscc"], e => e["county_code"], StringComparer.Ordinal);
        var budgets = files.Budgets.ToDictionary(b => (b["division_code"], b["year"], b["funding_source"]), b => ImportFolder.Amount(b["amount_yuan"]));
        budgets.Count.ShouldBe(files.Budgets.Count, "one row per budget line");
        string Division(ImportFolder.Row row) => files.Awards[ImportFolder.AwardKey(row)].Shares[row["funding_source"]].Division;
        foreach (var line in files.Payments.GroupBy(p => (Division(p), ImportFolder.Date(p["paid_on"]).Year.ToString(System.Globalization.CultureInfo.InvariantCulture), p["funding_source"])))
        {
            budgets.ShouldContainKey(line.Key, $"{line.First()}: no budget line {line.Key}");
            line.Sum(p => ImportFolder.Amount(p["amount_yuan"])).ShouldBeLessThanOrEqualTo(budgets[line.Key], $"budget line {line.Key}");
        }
        var byVoucher = files.Payments.ToDictionary(p => p["voucher_no"], StringComparer.Ordinal);
        foreach (var r in files.Returns)
        {
            var payment = byVoucher[r["voucher_no"]];
            budgets.ShouldContainKey((Division(payment), r["returned_on"][..4], payment["funding_source"]), r.ToString());
        }
        foreach (var c in files.Clawbacks.Where(c => c["repaid_on"].Length > 0))
        {
            budgets.ShouldContainKey((Division(c), c["repaid_on"][..4], c["funding_source"]), c.ToString());
        }
        foreach (var (line, _) in budgets)
        {
            var division = files.Reference.FindDivision(line.Item1);
            division.ShouldNotBeNull();
            division.Level.ToString().ToLowerInvariant().ShouldBe(line.Item3, $"budget line {line}: the division must be of its level");
        }
        counties.ShouldNotBeEmpty();
    }

    /// <summary>The columns of each file as the table of docs/import-format.md lists them, optional ones included.</summary>
    internal static Dictionary<string, string> DocumentedColumns()
    {
        var doc = Path.Combine(RepositoryRoot(), "docs", "import-format.md");
        return File.ReadLines(doc)
            .Select(l => TableRow().Match(l))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["file"].Value, m => m.Groups["columns"].Value.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "docs", "import-format.md")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"no docs/import-format.md above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\| `(?<file>[a-z-]+\.csv)` \| `(?<columns>[^`]+)` \|$")]
    private static partial Regex TableRow();
}
