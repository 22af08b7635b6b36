using System.CommandLine;
using Ledger.EventStore;
using Ledger.EventStore.Migrations;

namespace Ledger.Cli;

/// <summary>The <c>ledger</c> command: parses, runs one sub-command, maps failures to exit codes.</summary>
public static class LedgerCli
{
    internal static readonly Option<string?> DbOption = new("--db")
    {
        Description = "Owner connection string of an existing PostgreSQL server (default: LEDGER_DB; unset: the embedded server).",
    };

    internal static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data folder of the embedded server (default: LEDGER_DATA, else /var/lib/ledger as root or ~/.local/share/ledger).",
    };

    internal static readonly Option<OutputFormat> FormatOption = new("--format")
    {
        Description = "Output format of reading commands: table, json or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("SRDI award ledger: an event-sourced, hash-chained ledger of 专精特新 awards.");
        root.Options.Add(DbOption);
        root.Options.Add(DataOption);
        DbOption.Recursive = true;
        DataOption.Recursive = true;
        root.Subcommands.Add(UpCommand.Create(output));
        root.Subcommands.Add(MigrateCommand.Create(output));
        root.Subcommands.Add(VerifyCommand.Create(output));
        root.Subcommands.Add(SchemaExportCommand.Create(output));
        root.Subcommands.Add(RebuildCommand.Create(output, error));
        root.Subcommands.Add(AdminCommand.Create(error));
        foreach (var command in ReportCommands.Create(output, error).Concat(WorkflowCommands.Create(output, error)).Concat(StaffCommands.Create(output, error)))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(ImportCommand.Create(output, error));
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(UsersCommand.Create(output, error));
        root.Subcommands.Add(OutboxCommand.Create(output));
        root.Subcommands.Add(EventsCommand.Create(output));
        root.Subcommands.Add(DigestCommand.Create(output, error));
        root.Subcommands.Add(GenerateCommand.Create(output, error));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"ledger: {problem.Message}");
            }
            await error.WriteLineAsync("Run 'ledger --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (LedgerEnvironmentException e)
        {
            await error.WriteLineAsync($"ledger: {e.Message}");
            return ExitCodes.Environment;
        }
        catch (Reference.ReferenceDataException e)
        {
            await error.WriteLineAsync($"ledger: reference data: {e.Message}");
            return ExitCodes.Environment;
        }
        catch (MigrationException e)
        {
            await error.WriteLineAsync($"ledger: {e.Message}");
            return ExitCodes.Environment;
        }
        catch (DomainException e)
        {
            await error.WriteLineAsync($"ledger: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ConcurrencyException e)
        {
            await error.WriteLineAsync($"ledger: conflict: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (IdempotencyConflictException e)
        {
            await error.WriteLineAsync($"ledger: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>How the ledger runs from the command line: the treasury folder from LEDGER_TREASURY, the rest by default.</summary>
    internal static LedgerAppOptions AppOptions() => new()
    {
        TreasuryFolder = Environment.GetEnvironmentVariable(UpCommand.TreasuryFolderVariable) is { Length: > 0 } folder ? folder : null,
    };

    /// <summary>Where the database is: --db, else LEDGER_DB, else the embedded server in --data / LEDGER_DATA / the default folder.</summary>
    internal static LedgerDatabaseOptions DatabaseOptions(ParseResult parsed)
    {
        var fromEnvironment = LedgerDatabaseOptions.FromEnvironment();
        var db = parsed.GetValue(DbOption);
        var data = parsed.GetValue(DataOption);
        return fromEnvironment with
        {
            ConnectionString = string.IsNullOrWhiteSpace(db) ? fromEnvironment.ConnectionString : db,
            Embedded = string.IsNullOrWhiteSpace(data) ? fromEnvironment.Embedded : fromEnvironment.Embedded with { DataRoot = data },
        };
    }
}

public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
