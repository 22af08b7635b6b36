using System.CommandLine;
using System.Globalization;
using Ledger.EventStore;
using Ledger.PublishedFigures;
using Ledger.Reference;
using Ledger.Reports;
using NodaTime;

namespace Ledger.Cli;

/// <summary>The reading commands over the reports: totals, reconcile, history, budget; each takes --format and --as-of.</summary>
internal static class ReportCommands
{
    private static readonly Option<string?> AsOfOption = new("--as-of")
    {
        Description = "Answer what the books said at this instant (ISO-8601 with Z or an offset, e.g. 2022-12-31T16:00:00Z; inclusive).",
    };

    private static readonly Option<int> YearOption = new("--year") { Description = "Fiscal year (calendar year).", Required = true };

    private static readonly Option<string> JurisdictionOption = new("--jurisdiction")
    {
        Description = "Division code whose subtree of enterprises is reported (default 100000, the nation).",
        DefaultValueFactory = _ => Jurisdictions.Nation,
    };

    private static readonly Option<string?> IssuerOption = new("--issuer") { Description = "Only awards issued by this division or one below it." };

    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Totals(output, error);
        yield return Reconcile(output, error);
        yield return History(output, error);
        yield return Budget(output, error);
    }

    private static Command Totals(TextWriter output, TextWriter error)
    {
        var by = new Option<string>("--by") { Description = "Rows by county, tier, source (funding level) or issuer.", DefaultValueFactory = _ => "county" };
        var basis = new Option<string>("--basis") { Description = "paid (net cash out by value date) or determined.", DefaultValueFactory = _ => "paid" };
        var command = new Command("totals", "Annual totals of a jurisdiction's enterprises: determined, reserved, paid, returned, clawed back, repaid, net paid, enterprises and awards.");
        foreach (var option in new Option[] { YearOption, JurisdictionOption, IssuerOption, by, basis, LedgerCli.FormatOption, AsOfOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var query = new TotalsQuery(parsed.GetValue(YearOption), parsed.GetValue(JurisdictionOption)!, parsed.GetValue(IssuerOption),
                ParseBy(parsed.GetValue(by)!), ParseTotalsBasis(parsed.GetValue(basis)!), AsOf(parsed));
            return await WithReportsAsync(parsed, error, async reports =>
            {
                var document = ReportDocuments.Of(await reports.TotalsAsync(query, cancellationToken));
                await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () => TotalsGrids(document));
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Reconcile(TextWriter output, TextWriter error)
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Division code (100000 for the nation).", Required = true };
        var published = new Option<string?>("--published") { Description = "The published figure to compare with (default: the one recorded)." };
        var basis = new Option<string>("--basis") { Description = "paid, determined, paid_cumulative or stock.", DefaultValueFactory = _ => "paid" };
        var measure = new Option<string?>("--measure") { Description = "Measure of measures.csv (default: srdi_reward_total, or srdi_enterprise_count for stock)." };
        var command = new Command("reconcile", "The ledger against a published figure: both bases, the variance, the lines that tie them, the award-level listing. Exit 1 when it does not reconcile.");
        foreach (var option in new Option[] { jurisdiction, YearOption, IssuerOption, published, basis, measure, LedgerCli.FormatOption, AsOfOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var given = parsed.GetValue(published) is { } text
                ? decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && decimal.Round(value, 2) == value
                    ? value
                    : throw new DomainException("cli.published", $"--published: '{text}' is not an amount with at most 2 decimals.")
                : (decimal?)null;
            var query = new ReconcileQuery(parsed.GetValue(jurisdiction)!, parsed.GetValue(YearOption), ParseFigureBasis(parsed.GetValue(basis)!),
                parsed.GetValue(measure), parsed.GetValue(IssuerOption), given, AsOf(parsed));
            return await WithReportsAsync(parsed, error, async reports =>
            {
                var document = ReportDocuments.Of(await reports.ReconcileAsync(query, cancellationToken));
                await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () => ReconcileGrids(document));
                return document.Reconciled ? ExitCodes.Ok : ExitCodes.CheckFailed;
            }, cancellationToken);
        });
        return command;
    }

    private static Command History(TextWriter output, TextWriter error)
    {
        var uscc = new Argument<string>("uscc") { Description = "The enterprise's unified social credit code (18 characters)." };
        var command = new Command("history", "An enterprise's award history: every designation step, award, disbursement step, return and clawback, with the event that proves it.");
        command.Arguments.Add(uscc);
        command.Options.Add(LedgerCli.FormatOption);
        command.Options.Add(AsOfOption);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var asOf = AsOf(parsed);
            return await WithReportsAsync(parsed, error, async reports =>
            {
                var document = ReportDocuments.Of(await reports.HistoryAsync(parsed.GetValue(uscc)!, asOf, cancellationToken));
                await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () =>
                [
                    new Output.Grid(["position", "date", "kind", "tier", "amount_yuan", "actor", "detail"],
                        [.. document.Lines.Select(l => (IReadOnlyList<string?>)[Output.Number(l.Event.Position), l.Date, l.Kind, l.Tier, l.AmountYuan, l.Actor, l.Detail])],
                        $"{document.Name} ({document.Uscc}), county {document.CountyCode}", Caption(document.AsOf, document.Position)),
                ]);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Budget(TextWriter output, TextWriter error)
    {
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Division code whose subtree's budget lines are reported.", Required = true };
        var command = new Command("budget", "Budget execution per line (division × year × level): appropriated, adjusted, reserved, paid, returned, repaid, available.");
        foreach (var option in new Option[] { jurisdiction, YearOption, LedgerCli.FormatOption, AsOfOption })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var asOf = AsOf(parsed);
            return await WithReportsAsync(parsed, error, async reports =>
            {
                var document = ReportDocuments.Of(await reports.BudgetExecutionAsync(parsed.GetValue(jurisdiction)!, parsed.GetValue(YearOption), asOf, cancellationToken));
                await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), document, () =>
                [
                    new Output.Grid(["division", "name", "level", "appropriated_yuan", "adjusted_yuan", "reserved_yuan", "paid_yuan", "returned_yuan", "repaid_yuan", "available_yuan"],
                        [.. document.Lines.Select(l => (IReadOnlyList<string?>)[l.DivisionCode, l.DivisionName, l.Level, l.AppropriatedYuan, l.AdjustedYuan, l.ReservedYuan, l.PaidYuan, l.ReturnedYuan, l.RepaidYuan, l.AvailableYuan])],
                        $"Budget execution {document.Jurisdiction} {document.Year}", Caption(document.AsOf, document.Position)),
                ]);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    internal static IReadOnlyList<Output.Grid> TotalsGrids(TotalsDocument document) =>
    [
            new Output.Grid(
                [document.By, "name", "total_yuan", "determined_yuan", "reserved_yuan", "paid_yuan", "returned_yuan", "clawed_back_yuan", "repaid_yuan", "enterprises", "awards"],
                [.. document.Rows.Select(r => (IReadOnlyList<string?>)[r.Key, r.Name, r.TotalYuan, r.DeterminedYuan, r.ReservedYuan, r.PaidYuan, r.ReturnedYuan, r.ClawedBackYuan, r.RepaidYuan, Output.Number(r.Enterprises), Output.Number(r.Awards)]),
                 ["total", document.JurisdictionName, document.TotalYuan, document.DeterminedYuan, document.ReservedYuan, document.PaidYuan, document.ReturnedYuan, document.ClawedBackYuan, document.RepaidYuan, Output.Number(document.Enterprises), Output.Number(document.Awards)]],
                $"{document.JurisdictionName} ({document.Jurisdiction}) {document.Year}, {document.Basis} basis{(document.Issuer is { } i ? $", issuer {i}" : "")}",
                Caption(document.AsOf, document.Position)),
    ];

    internal static IReadOnlyList<Output.Grid> ReconcileGrids(ReconciliationDocument document) =>
    [
            new Output.Grid(["measure", "value"],
            [
                ["ledger", document.LedgerTotalYuan], ["published", document.PublishedYuan + (document.PublishedIsLowerBound ? " (at least)" : "")],
                ["variance", document.VarianceYuan], ["verdict", document.Reconciled ? "reconciled" : "NOT reconciled"],
                ["source", document.PublishedSource], ["quote", document.PublishedQuote],
                ["ledger paid", document.LedgerPaidYuan], ["ledger determined", document.LedgerDeterminedYuan],
            ], $"{document.JurisdictionName} ({document.Jurisdiction}) {document.Year}, {document.Measure} ({document.Basis})", Caption(document.AsOf, document.Position)),
            new Output.Grid(["line", "text", "amount_yuan"], [.. document.Explanation.Select(l => (IReadOnlyList<string?>)[l.Code, l.Text, l.AmountYuan])], "Explanation"),
            new Output.Grid(
                ["award", "uscc", "enterprise", "county", "tier", "issuer", "determined_on", "determined_yuan", "paid_yuan", "returned_yuan", "repaid_yuan", "net_paid_yuan", "paid_later_yuan", "events"],
                [.. document.Awards.Select(a => (IReadOnlyList<string?>)[a.AwardId.ToString(), a.Uscc, a.EnterpriseName, a.CountyCode, a.Tier, a.IssuerCode, a.DeterminationDate,
                    a.DeterminedYuan, a.PaidYuan, a.ReturnedYuan, a.RepaidYuan, a.NetPaidYuan, a.PaidLaterYuan, string.Join(' ', a.Events.Select(e => "#" + e.Event.Position))])],
                "Awards"),
    ];

    private static string Caption(string? asOf, long position) =>
        asOf is null ? $"now (chain position {position})" : $"as of {asOf} (chain position {position})";

    /// <summary>Opens the database for reading only (no migration, no handlers) and runs a report.</summary>
    private static async Task<int> WithReportsAsync(ParseResult parsed, TextWriter error, Func<ReportReader, Task<int>> report, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
        using var readSide = new LedgerReadSide(database, reference);
        try
        {
            foreach (var unfinished in await Ledger.Imports.Importer.UnfinishedAsync(database.App, cancellationToken))
            {
                await error.WriteLineAsync($"ledger: warning: import {unfinished.ImportBatch} ({unfinished.Rows:N0} rows, by {unfinished.Actor}) stopped before its last commit; figures may be incomplete until it is run again.");
            }
            return await report(readSide.Reports);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            throw new LedgerEnvironmentException($"the database at {database.Description} lacks the ledger's tables ({e.MessageText}); run 'ledger migrate' first.", e);
        }
    }

    internal static Instant? AsOf(ParseResult parsed) =>
        parsed.GetValue(AsOfOption) is { } text ? Instants.Parse(AsOfOption.Name, text) : null;

    private static TotalsBy ParseBy(string text) => text switch
    {
        "county" => TotalsBy.County,
        "tier" => TotalsBy.Tier,
        "source" => TotalsBy.Source,
        "issuer" => TotalsBy.Issuer,
        _ => throw new DomainException("cli.by", $"--by: '{text}' is not county, tier, source or issuer."),
    };

    private static TotalsBasis ParseTotalsBasis(string text) => text switch
    {
        "paid" => TotalsBasis.Paid,
        "determined" => TotalsBasis.Determined,
        _ => throw new DomainException("cli.basis", $"--basis: '{text}' is not paid or determined."),
    };

    private static FigureBasis ParseFigureBasis(string text) => text switch
    {
        "paid" => FigureBasis.Paid,
        "determined" => FigureBasis.Determined,
        "paid_cumulative" => FigureBasis.PaidCumulative,
        "stock" => FigureBasis.Stock,
        _ => throw new DomainException("cli.basis", $"--basis: '{text}' is not paid, determined, paid_cumulative or stock."),
    };
}
