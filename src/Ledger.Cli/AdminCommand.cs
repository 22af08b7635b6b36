using System.CommandLine;
using JasperFx;
using Ledger.EventStore;
using Ledger.Reference;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger admin &lt;verb&gt;</c>: Marten's and Wolverine's own admin verbs (the JasperFx command line) over the
/// ledger's configured host — those that do not go around the ledger's numbered migrations and its rebuild.
/// </summary>
internal static class AdminCommand
{
    /// <summary>The verbs handed on: they check, describe or write files, and change no database.</summary>
    public static readonly IReadOnlyDictionary<string, string> Allowed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["db-assert"] = "check that the database holds the schema Marten and Wolverine expect (exit non-zero on drift)",
        ["db-dump"] = "write the DDL Marten expects to a file",
        ["db-patch"] = "write the DDL that would bring the database to the expected schema to a file: the first step of the next migration",
        ["codegen"] = "preview, test or write Wolverine's generated handler code",
        ["resources"] = "check the resources Marten and Wolverine use (only 'resources check')",
        ["describe"] = "describe the host's configuration",
        ["help"] = "list the JasperFx verbs",
    };

    /// <summary>Verbs refused, and why: they change the schema or the read tables outside the ledger's own paths.</summary>
    private static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["db-apply"] = "the schema changes only through the numbered migrations ('ledger migrate')",
        ["projections"] = "the read tables are rebuilt by 'ledger rebuild', which compares and swaps them under the chain's lock",
        ["storage"] = "Wolverine's message storage is created by the migrations",
    };

    public static Command Create(TextWriter error)
    {
        var verb = new Argument<string>("verb") { Description = string.Join("; ", Allowed.Select(v => $"{v.Key}: {v.Value}")) };
        var rest = new Argument<string[]>("arguments") { Description = "The verb's own arguments and options.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("admin", "Marten's and Wolverine's admin verbs over the ledger's host (db-assert, db-dump, db-patch, codegen, resources check, describe); db-apply and projections are refused.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(verb);
        command.Arguments.Add(rest);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var name = parsed.GetValue(verb)!;
            var arguments = (parsed.GetValue(rest) ?? []).Concat(parsed.UnmatchedTokens).ToArray();
            if (Refused.TryGetValue(name, out var why))
            {
                throw new DomainException("cli.admin-refused", $"admin {name}: refused — {why}.");
            }
            if (!Allowed.ContainsKey(name))
            {
                throw new DomainException("cli.admin-verb", $"admin: '{name}' is not one of {string.Join(", ", Allowed.Keys)}.");
            }
            if (name == "resources" && arguments.FirstOrDefault() != "check")
            {
                throw new DomainException("cli.admin-refused", "admin resources: only 'resources check' is handed on; setting up or clearing resources goes around the migrations.");
            }
            var reference = ReferenceDataLoader.LoadDefault();
            await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
            using var host = LedgerApp.Build(database, reference, LedgerCli.AppOptions());
            var code = await host.RunJasperFxCommands([name, .. arguments]);
            if (code != 0)
            {
                await error.WriteLineAsync($"ledger: admin {name} exited {code}.");
            }
            return code == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
