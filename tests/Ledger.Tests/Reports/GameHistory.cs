using Ledger.Budgets;
using Ledger.Disbursements;
using Ledger.Tests.Disbursements;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Tests.Reports;

/// <summary>
/// Plays a <see cref="RandomDatabaseGame"/> through the real handlers to build a messy history (requests, approvals,
/// payments across 2024 and 2025, returns, clawbacks and repayments, lowered awards, revocations), reading the accounts
/// and lines back after every step as the game needs. Refusals are part of the game; anything else fails the test.
/// </summary>
internal static class GameHistory
{
    /// <param name="afterStep">Called after each step (e.g. to note an instant to ask "as of" later).</param>
    public static async Task<RandomDatabaseGame> PlayAsync(LedgerApp app, FakeClock clock, int seed, int steps, Func<int, Task>? afterStep = null)
    {
        var game = await RandomDatabaseGame.SetUpAsync(app, clock, seed, steps);
        await RefreshAsync(app, game);
        for (var step = 1; step <= steps; step++)
        {
            var command = game.Next();
            try
            {
                await command.Run(command.Context);
                game.Accept(command);
            }
            catch (DomainException refusal)
            {
                game.Refuse(refusal);
            }
            catch (Ledger.EventStore.IdempotencyConflictException) when (command.Expect == RandomDatabaseGame.Expect.KeyConflict)
            {
                game.Accept(command);
            }
            await RefreshAsync(app, game);
            if (afterStep is not null)
            {
                await afterStep(step);
            }
        }
        return game;
    }

    private static async Task RefreshAsync(LedgerApp app, RandomDatabaseGame game)
    {
        var accounts = new Dictionary<Guid, AwardAccount>();
        foreach (var award in game.Awards)
        {
            accounts[award.AwardId] = (await app.Awards.LoadAsync(award.AwardId)).State;
        }
        var lines = new Dictionary<BudgetLineKey, BudgetLine>();
        foreach (var key in game.LineKeys.Concat(accounts.Values.SelectMany(a => a.Disbursements.Values.Select(d => d.ReservationLine))).Distinct())
        {
            lines[key] = (await app.Budgets.LoadAsync(key)).State;
        }
        game.Accounts = accounts;
        game.Lines = lines;
    }
}
