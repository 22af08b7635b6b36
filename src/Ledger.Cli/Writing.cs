using System.CommandLine;
using System.Globalization;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli;

/// <summary>What every writing command shares: who acts, the idempotency key, starting the ledger, and parsing what users type.</summary>
internal static class Writing
{
    public static readonly Option<string?> ActorOption = new("--actor") { Description = "Who acts (default: the OS user; self-declared, the OS user is recorded beside it)." };
    public static readonly Option<string?> KeyOption = new("--key") { Description = "Idempotency key (default: a new one, printed): repeat a command with its key to retry it safely." };

    /// <summary>Adds --actor and --key to a writing command.</summary>
    public static Command WithCaller(this Command command)
    {
        command.Options.Add(ActorOption);
        command.Options.Add(KeyOption);
        return command;
    }

    /// <summary>Starts the ledger (migrated) and runs one writing command as the caller the options name.</summary>
    public static async Task<int> WithAppAsync(ParseResult parsed, TextWriter error, Func<LedgerApp, Caller, Task<int>> run, string role, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        var (actor, osUser) = Actor(parsed);
        var key = parsed.GetValue(KeyOption) is { } given ? given.Trim() : $"cli-{Guid.NewGuid():N}";
        if (key.Length is 0 or > 200)
        {
            throw new DomainException("cli.key", "--key: an idempotency key is 1 to 200 characters.");
        }
        if (parsed.GetValue(KeyOption) is null)
        {
            await error.WriteLineAsync($"ledger: idempotency key {key} (repeat the command with --key {key} to retry it safely)");
        }
        await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
        await using var app = await LedgerApp.StartAsync(database, reference, LedgerCli.AppOptions(), cancellationToken);
        return await run(app, new Caller(actor, role, key, null, osUser));
    }

    /// <summary>Starts the ledger (migrated) for work that is its own idempotency (an import): the caller has no key.</summary>
    public static async Task<int> WithAppAsync(ParseResult parsed, Func<LedgerApp, Caller, Task<int>> run, string role, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        var (actor, osUser) = Actor(parsed);
        await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
        await using var app = await LedgerApp.StartAsync(database, reference, LedgerCli.AppOptions(), cancellationToken);
        return await run(app, new Caller(actor, role, null, null, osUser));
    }

    private static (string Actor, string OsUser) Actor(ParseResult parsed)
    {
        var osUser = Environment.UserName;
        var actor = parsed.GetValue(ActorOption) is { } named ? named.Trim() : osUser;
        return actor.Length == 0 ? throw new DomainException("cli.actor", "--actor: give the name of who acts.") : (actor, osUser);
    }

    public static async Task<int> WithReadAsync(ParseResult parsed, Func<LedgerDatabase, ReferenceData, Task<int>> read, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), migrate: false, cancellationToken);
        return await read(database, reference);
    }

    public static string[] Subtree(ReferenceData reference, string jurisdiction) => Reports.Subtree.Of(reference, jurisdiction);

    public static Guid Id(string text, string name) =>
        Guid.TryParse(text, out var id) ? id : throw new DomainException("cli.id", $"{name}: '{text}' is not an id (a UUID such as 3f2c…-…).");

    public static decimal Amount(string text, string name) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan) && decimal.Round(yuan, 2) == yuan && yuan > 0
            ? yuan
            : throw new DomainException("cli.amount", $"{name}: '{text}' is not a positive amount in 元 with at most 2 decimals.");

    public static LocalDate Date(string text, string name) =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } date
            ? date.Value
            : throw new DomainException("cli.date", $"{name}: '{text}' is not a date yyyy-MM-dd.");

    public static FundingLevel Level(string text) => text switch
    {
        "province" => FundingLevel.Province,
        "city" => FundingLevel.City,
        "county" => FundingLevel.County,
        _ => throw new DomainException("cli.level", $"--level: '{text}' is not province, city or county."),
    };

    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
