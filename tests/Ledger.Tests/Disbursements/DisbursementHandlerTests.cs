using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;

namespace Ledger.Tests.Disbursements;

/// <summary>End to end on PostgreSQL: money leaves only with approvals and budget, never twice, never above the award.</summary>
public sealed class DisbursementHandlerTests : LedgerFixture
{
    private static readonly LocalDate Recognized = new(2024, 1, 10);
    private static readonly BudgetLineKey XishanCounty2024 = new("320205", 2024, FundingLevel.County);

    private async Task<Guid> XishanAwardAsync(string tier = "provincial-srdi")
    {
        if (await App.Store.StreamVersionAsync(AwardPolicyDecider.StreamId("320205", TestPolicies.XishanDraft.DocumentNumber)) == 0)
        {
            await App.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        }
        var enterprise = await RegisterAsync("320205", withBankAccount: true);
        await ImportRecognitionAsync(enterprise, tier, Recognized);
        return (await AwardsOfAsync(enterprise)).Single().AwardId;
    }

    private Task AppropriateAsync(decimal yuan, BudgetLineKey? line = null) =>
        App.SendAsync(new AppropriateBudget(line ?? XishanCounty2024, yuan, "admin", Now), As("admin", "admin"));

    private async Task<Guid> RequestAsync(Guid award, decimal yuan, string clerk = "clerk-li")
    {
        var id = Guid.NewGuid();
        await App.SendAsync(new RequestDisbursement(award, id, yuan, FundingLevel.County, 2024, clerk, Now), As(clerk));
        return id;
    }

    private Task ApproveAsync(Guid award, Guid disbursement, string approver = "approver-wang") =>
        App.SendAsync(new ApproveDisbursement(award, disbursement, approver, Now), As(approver, "approver"));

    private Task PayAsync(Guid award, Guid disbursement, string voucher) =>
        App.SendAsync(new RecordDisbursementPayment(award, disbursement, voucher, new LocalDate(2024, 2, 28), "clerk-li", Now), As("clerk-li"));

    private async Task<long> HeadAsync() => (await App.Store.HeadAsync()).Position;

    private async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = App.Store.DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        }
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task A_request_approved_and_paid_moves_the_money_from_reserved_to_paid_on_its_budget_line()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);

        var disbursement = await RequestAsync(award, 300_000m);
        await ApproveAsync(award, disbursement);
        (await App.Budgets.LoadAsync(XishanCounty2024)).State.Reserved.ShouldBe(Money.Of(300_000m));
        await PayAsync(award, disbursement, "锡财国库〔2024〕0001");

        var line = (await App.Budgets.LoadAsync(XishanCounty2024)).State;
        (line.Reserved, line.Paid, line.Available).ShouldBe((Money.Zero, Money.Of(300_000m), Money.Of(700_000m)));
        (await App.Awards.LoadAsync(award)).State.PaidNetTotal.ShouldBe(Money.Of(300_000m));
        (await ScalarAsync("SELECT status FROM disbursements WHERE disbursement_id = $1", disbursement)).ShouldBe("paid");
        (await ScalarAsync("SELECT disbursement_id FROM vouchers WHERE voucher_number = $1", "锡财国库〔2024〕0001")).ShouldBe(disbursement);
        (await App.Store.VerifyAsync()).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task The_requester_cannot_approve_and_the_refusal_writes_nothing()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);
        var disbursement = await RequestAsync(award, 100_000m, "clerk-li");
        var head = await HeadAsync();

        await Should.ThrowAsync<DomainException>(() => ApproveAsync(award, disbursement, "clerk-li"));

        (await HeadAsync()).ShouldBe(head);
    }

    [Fact]
    public async Task Approval_beyond_the_budget_fails_naming_the_available_amount_and_reserves_nothing()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(250_000m);
        var disbursement = await RequestAsync(award, 300_000m);

        var error = await Should.ThrowAsync<DomainException>(() => ApproveAsync(award, disbursement));

        error.Message.ShouldContain("250000.00");
        (await App.Budgets.LoadAsync(XishanCounty2024)).State.Reserved.ShouldBe(Money.Zero);
    }

    [Fact]
    public async Task A_voucher_number_already_used_is_refused_naming_the_disbursement_that_holds_it()
    {
        var first = await XishanAwardAsync();
        var second = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);
        var paid = await RequestAsync(first, 100_000m);
        await ApproveAsync(first, paid);
        await PayAsync(first, paid, "V-0001");
        var other = await RequestAsync(second, 100_000m);
        await ApproveAsync(second, other);

        var error = await Should.ThrowAsync<DomainException>(() => PayAsync(second, other, "V-0001"));

        error.Message.ShouldContain(paid.ToString());
        (await App.Awards.LoadAsync(second)).State.Find(other)!.Status.ShouldBe(DisbursementStatus.Approved);
    }

    [Fact]
    public async Task Revocation_cancels_open_requests_releases_their_reservations_and_demands_back_what_was_paid()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);
        var paid = await RequestAsync(award, 100_000m);
        await ApproveAsync(award, paid);
        await PayAsync(award, paid, "V-0002");
        var open = await RequestAsync(award, 50_000m);
        await ApproveAsync(award, open);
        var designation = (await App.Awards.LoadAsync(award)).State.Award.DesignationId;

        await App.SendAsync(new RevokeDesignation(designation, "申报数据造假", new LocalDate(2024, 2, 29), true, "clerk-li", Now), As("clerk-li"));

        var account = (await App.Awards.LoadAsync(award)).State;
        account.Find(open)!.Status.ShouldBe(DisbursementStatus.Cancelled);
        account.Award.Status.ShouldBe(AwardStatus.Cancelled);
        account.ClawbackOutstanding(FundingLevel.County).ShouldBe(Money.Of(100_000m));
        var line = (await App.Budgets.LoadAsync(XishanCounty2024)).State;
        (line.Reserved, line.Paid).ShouldBe((Money.Zero, Money.Of(100_000m)));

        var clawback = account.Clawbacks.Keys.Single();
        await App.SendAsync(new RecordClawbackRepayment(award, clawback, 100_000m, new LocalDate(2024, 3, 1), "缴库-001", "clerk-li", Now), As("clerk-li"));
        (await App.Budgets.LoadAsync(XishanCounty2024)).State.Repaid.ShouldBe(Money.Of(100_000m));
    }

    [Fact]
    public async Task A_request_retried_under_its_idempotency_key_is_recorded_once_and_a_different_request_under_it_is_refused()
    {
        var award = await XishanAwardAsync();
        var request = new RequestDisbursement(award, Guid.NewGuid(), 100_000m, FundingLevel.County, 2024, "clerk-li", Now);

        await App.SendAsync(request, As("clerk-li", key: "req-7"));
        await App.SendAsync(request with { At = Now.Plus(Duration.FromSeconds(3)) }, As("clerk-li", key: "req-7"));
        await Should.ThrowAsync<IdempotencyConflictException>(() =>
            App.SendAsync(request with { Amount = 90_000m }, As("clerk-li", key: "req-7")));

        (await App.Awards.LoadAsync(award)).State.Disbursements.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Fifty_concurrent_final_approvals_of_one_request_reserve_once()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);
        var disbursement = await RequestAsync(award, 200_000m);
        await HoldFirstAppendAsync(TimeSpan.FromMilliseconds(500));

        var outcomes = await RaceAsync(50, i => ApproveAsync(award, disbursement, $"approver-{i}"));

        outcomes.Count(o => o == "ok").ShouldBe(1);
        outcomes.ShouldContain("conflict", "no approval overlapped another: the race was not exercised");
        (await App.Budgets.LoadAsync(XishanCounty2024)).State.Reserved.ShouldBe(Money.Of(200_000m));
        (await App.Awards.LoadAsync(award)).State.Find(disbursement)!.Approvals.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Fifty_concurrent_payments_with_different_vouchers_pay_exactly_once()
    {
        var award = await XishanAwardAsync();
        await AppropriateAsync(1_000_000m);
        var disbursement = await RequestAsync(award, 200_000m);
        await ApproveAsync(award, disbursement);
        await HoldFirstAppendAsync(TimeSpan.FromMilliseconds(500));

        var outcomes = await RaceAsync(50, i => PayAsync(award, disbursement, $"V-{i:D4}"));

        outcomes.Count(o => o == "ok").ShouldBe(1);
        outcomes.ShouldContain("conflict", "no payment overlapped another: the race was not exercised");
        (await App.Awards.LoadAsync(award)).State.PaidNetTotal.ShouldBe(Money.Of(200_000m));
        (await App.Budgets.LoadAsync(XishanCounty2024)).State.Paid.ShouldBe(Money.Of(200_000m));
        (await ScalarAsync("SELECT count(*) FROM vouchers")).ShouldBe(1L);
    }

    [Fact]
    public async Task Fifty_concurrent_requests_against_one_award_never_commit_more_than_the_award()
    {
        var award = await XishanAwardAsync();
        await HoldFirstAppendAsync(TimeSpan.FromMilliseconds(500));

        var outcomes = await RaceAsync(50, i => RequestAsync(award, 40_000m, $"clerk-{i}"));

        var account = (await App.Awards.LoadAsync(award)).State;
        var committed = account.Committed(FundingLevel.County);
        committed.ShouldBeLessThanOrEqualTo(Money.Of(300_000m));
        committed.ShouldBe(Money.Of(40_000m * outcomes.Count(o => o == "ok")));
        outcomes.ShouldContain("ok");
        outcomes.ShouldContain("conflict", "no request overlapped another: the race was not exercised");
        outcomes.ShouldAllBe(o => o == "ok" || o == "conflict" || o == "refused");
    }

    [Fact]
    public async Task Concurrent_approvals_across_awards_of_one_budget_line_never_take_it_below_zero()
    {
        var awards = new List<(Guid Award, Guid Disbursement)>();
        await AppropriateAsync(1_000_000m);
        for (var i = 0; i < 8; i++)
        {
            var award = await XishanAwardAsync();
            awards.Add((award, await RequestAsync(award, 300_000m)));
        }

        var drawnBefore = await RolledBackDrawsAsync();

        var outcomes = await RaceAsync(awards.Count, i => ApproveAsync(awards[i].Award, awards[i].Disbursement));

        // A loser appended to its award, then conflicted on the line and rolled back (the retry decided again):
        // the event sequence numbers it drew stay drawn.
        (await RolledBackDrawsAsync()).ShouldBeGreaterThan(drawnBefore, "no approval conflicted on the line: the race was not exercised");
        // The line is not the stream an approval aims at: its conflicts are decided again, never handed to the caller.
        outcomes.ShouldAllBe(o => o == "ok" || o == "refused");
        var line = (await App.Budgets.LoadAsync(XishanCounty2024)).State;
        line.Available.ShouldBeGreaterThanOrEqualTo(Money.Zero);
        line.Reserved.ShouldBe(Money.Of(300_000m * outcomes.Count(o => o == "ok")));
        outcomes.Count(o => o == "ok").ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task Two_payments_on_different_awards_racing_with_one_voucher_pay_once_and_the_other_is_told_which()
    {
        await AppropriateAsync(1_000_000m);
        var refusals = 0;
        for (var trial = 0; trial < 5; trial++)
        {
            var first = await XishanAwardAsync();
            var second = await XishanAwardAsync();
            var (a, b) = (await RequestAsync(first, 50_000m), await RequestAsync(second, 50_000m));
            await ApproveAsync(first, a);
            await ApproveAsync(second, b);
            var voucher = $"锡财国库〔2024〕{trial:D4}";

            var outcomes = await RaceAsync(2, i => i == 0 ? PayAsync(first, a, voucher) : PayAsync(second, b, voucher));

            outcomes.Count(o => o == "ok").ShouldBe(1, $"trial {trial}");
            outcomes.Count(o => o == "refused").ShouldBe(1, $"trial {trial}: the other is a rule violation, never a raw database error");
            (await ScalarAsync("SELECT count(*) FROM vouchers WHERE voucher_number = $1", voucher)).ShouldBe(1L);
            refusals++;
        }
        refusals.ShouldBe(5);
    }

    private async Task<long> RolledBackDrawsAsync()
    {
        await using var command = Database.Owner.CreateCommand(
            "SELECT coalesce(pg_sequence_last_value('mt_events_sequence'), 0) - (SELECT count(*) FROM mt_events)");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Found by <see cref="RandomDatabaseInvariantTests"/> (seed 2025, step 181): the decider looked for a duplicate id
    /// only inside the award's own account, so an id already used on another award reached the <c>disbursements</c>
    /// read table, whose primary key refused it with a raw database error instead of a rule violation.
    /// </summary>
    [Fact]
    public async Task A_disbursement_id_already_used_on_another_award_is_refused_as_a_duplicate()
    {
        var first = await XishanAwardAsync();
        var second = await XishanAwardAsync();
        var id = Guid.Parse("966c8e76-7256-af45-066c-ff4c57c4eda2");
        await App.SendAsync(new RequestDisbursement(first, id, 10_000m, FundingLevel.County, null, "clerk-li", Now), As("clerk-li"));
        var head = await HeadAsync();

        var error = await Should.ThrowAsync<DomainException>(() =>
            App.SendAsync(new RequestDisbursement(second, id, 15_142m, FundingLevel.County, 2024, "approver-wang", Now), As("approver-wang")));

        error.Code.ShouldBe("disbursement.duplicate-id");
        error.Message.ShouldContain(first.ToString());
        (await HeadAsync()).ShouldBe(head);
    }

    /// <summary>Starts <paramref name="count"/> commands at once; each ends ok, in a conflict, or refused by a rule.</summary>
    private static async Task<string[]> RaceAsync(int count, Func<int, Task> command)
    {
        // An asynchronous gate: a blocking one would hold thread-pool threads, and on two cores the pool would start the
        // racers a few at a time, one after another.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await command(i);
                return "ok";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
            catch (DomainException)
            {
                return "refused";
            }
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
