using System.CommandLine;
using Ledger.Api;
using Ledger.EventStore;
using Ledger.Reference;
using NodaTime;
using NodaTime.Text;

namespace Ledger.Cli;

/// <summary><c>ledger users add|revoke|list</c>: the HTTP API's users and their bearer tokens (shown once, stored only as hashes).</summary>
internal static class UsersCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("users", "The HTTP API's users: add one (its bearer token is printed once), revoke one, list them.");
        var name = new Option<string>("--name") { Required = true, Description = "Who the user is (recorded as the actor of what they do)." };
        var role = new Option<string>("--role") { Required = true, Description = "clerk, approver, auditor, bureau-head or admin." };
        var division = new Option<string>("--division") { Required = true, Description = "The division whose subtree the user acts on and reads (100000: the nation)." };
        var days = new Option<int>("--days") { Description = "Days until the token expires (default 90).", DefaultValueFactory = _ => 90 };
        var add = new Command("add", "Add a user and print their bearer token (once: only its hash is kept).");
        foreach (var option in new Option[] { name, role, division, days })
        {
            add.Options.Add(option);
        }
        add.SetAction(async (parsed, ct) => await WithUsersAsync(parsed, async users =>
        {
            var (user, token) = await users.AddAsync(parsed.GetValue(name)!, parsed.GetValue(role)!, parsed.GetValue(division)!, parsed.GetValue(days), ct);
            await output.WriteLineAsync(token);
            await error.WriteLineAsync($"ledger: user {user.Name} ({user.Role}, division {user.DivisionCode}) added, token expires {InstantPattern.ExtendedIso.Format(user.ExpiresAt)}; the token above is not shown again.");
            return ExitCodes.Ok;
        }, ct));
        var who = new Argument<string>("user") { Description = "The user's name or id." };
        var revoke = new Command("revoke", "Revoke a user's token: it stops authenticating at once.");
        revoke.Arguments.Add(who);
        revoke.SetAction(async (parsed, ct) => await WithUsersAsync(parsed, async users =>
        {
            if (!await users.RevokeAsync(parsed.GetValue(who)!, ct))
            {
                throw new DomainException("user.not-found", $"user: no active token for '{parsed.GetValue(who)}'.");
            }
            await output.WriteLineAsync($"Revoked the token of {parsed.GetValue(who)}.");
            return ExitCodes.Ok;
        }, ct));
        var list = new Command("list", "List the users: name, role, division, expiry, revocation.");
        list.Options.Add(LedgerCli.FormatOption);
        list.SetAction(async (parsed, ct) => await WithUsersAsync(parsed, async users =>
        {
            var all = (await users.ListAsync(ct)).Select(u => new
            {
                u.Id, u.Name, u.Role, Division = u.DivisionCode, ExpiresAt = InstantPattern.ExtendedIso.Format(u.ExpiresAt),
                RevokedAt = u.RevokedAt is { } r ? InstantPattern.ExtendedIso.Format(r) : null,
            }).ToList();
            await Output.WriteAsync(output, parsed.GetValue(LedgerCli.FormatOption), all, () =>
            [
                new Output.Grid(["id", "name", "role", "division", "expires_at", "revoked_at"],
                    [.. all.Select(u => (IReadOnlyList<string?>)[u.Id.ToString(), u.Name, u.Role, u.Division, u.ExpiresAt, u.RevokedAt])]),
            ]);
            return ExitCodes.Ok;
        }, ct));
        command.Subcommands.Add(add);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(list);
        return command;
    }

    private static async Task<int> WithUsersAsync(ParseResult parsed, Func<ApiUsers, Task<int>> run, CancellationToken cancellationToken)
    {
        var reference = ReferenceDataLoader.LoadDefault();
        await using var database = await LedgerDatabase.OpenAsync(LedgerCli.DatabaseOptions(parsed), cancellationToken: cancellationToken);
        return await run(new ApiUsers(database.App, reference, SystemClock.Instance));
    }
}
