using Ledger.Awards;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Tests.Policies;
using Ledger.Tests.Support;
using NodaTime;
using Wolverine.Tracking;

namespace Ledger.Tests.Concurrency;

/// <summary>
/// Commands racing through Wolverine on PostgreSQL. Every test proves the race happened — some caller got the
/// conflict, or a losing transaction reached the database and rolled back — not only that the end state is right.
/// </summary>
public sealed class CommandRaceTests : LedgerFixture
{
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    /// <summary>Starts every call at once, behind one gate, and returns each outcome: null for success, else the exception.</summary>
    private static async Task<Exception?[]> RaceAsync(int callers, Func<int, Task> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await call(i);
                return null;
            }
#pragma warning disable CA1031 // every outcome is judged by the test
            catch (Exception e)
#pragma warning restore CA1031
            {
                return e;
            }
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(runs);
    }

    /// <summary>
    /// Counts every attempt to start a stream, also those whose transaction then rolls back (a sequence is not
    /// transactional): more attempts than streams means a loser reached the database, so the race happened.
    /// </summary>
    private async Task CountStreamStartsAsync()
    {
        await using var command = Database.Owner.CreateCommand(
            "CREATE SEQUENCE test_stream_starts; " +
            "CREATE FUNCTION test_count_stream_start() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS " +
            "$$ BEGIN PERFORM nextval('test_stream_starts'); RETURN NEW; END $$; " +
            "CREATE TRIGGER test_stream_starts BEFORE INSERT ON mt_streams FOR EACH ROW EXECUTE FUNCTION test_count_stream_start()");
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> StreamStartAttemptsAsync()
    {
        await using var command = Database.Owner.CreateCommand("SELECT coalesce(pg_sequence_last_value('test_stream_starts'), 0)");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Guid> RecommendedMunicipalDeclarationAsync(Guid enterprise)
    {
        var designation = await App.SendAsync(new SubmitDeclaration(enterprise, "", "", "municipal-srdi", D(2022, 4, 1), "clerk", Now), As("clerk"));
        await App.SendAsync(new ReviewDeclaration(designation, ReviewLevel.County, ReviewOutcome.Recommended, "锡山区工信局", null, D(2022, 4, 20), "clerk", Now), As("clerk"));
        return designation;
    }

    // The regression: the handler used to read the stream's version after deciding, so a recognition committed in
    // between was appended after, not refused: 8 concurrent recognitions gave two recognitions and two awards in 2 of 10 trials.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_recognitions_of_one_designation_record_one_recognition_and_one_award_the_rest_conflict(bool covered)
    {
        if (covered)
        {
            await App.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        }
        var conflicts = 0;
        for (var trial = 0; trial < 5; trial++)
        {
            var enterprise = await RegisterAsync("320205");
            var designation = await RecommendedMunicipalDeclarationAsync(enterprise);

            var outcomes = await RaceAsync(8, _ => App.SendAsync(new RecognizeDesignation(enterprise, "municipal-srdi", new RecognisingAuthority("320200", "无锡市工业和信息化局"),
                "锡工信〔2022〕3号", D(2022, 6, 1), null, null, null, "clerk", Now), As("clerk")));

            outcomes.Count(o => o is null).ShouldBe(1, $"trial {trial}: exactly one recognition wins");
            // A loser either conflicted in the database or, starting after the winner committed, was refused by the decider.
            outcomes.Where(o => o is not null).ShouldAllBe(o => o is ConcurrencyException || o is DomainException);
            conflicts += outcomes.Count(o => o is ConcurrencyException);
            (await App.Store.ReadStreamAsync(designation)).Count(e => e.EventType == "designation-recognized").ShouldBe(1);
            (await AwardsOfAsync(enterprise)).Select(a => a.Amount).ShouldBe(covered ? [Money.Of(100_000m)] : []);
        }
        conflicts.ShouldBeGreaterThan(0, "the recognitions never overlapped: the race was not exercised");
    }

    [Fact]
    public async Task Concurrent_first_uses_of_one_idempotency_key_have_one_effect_and_all_get_its_result()
    {
        await CountStreamStartsAsync();
        var raced = false;
        for (var trial = 0; trial < 10 && !raced; trial++)
        {
            var command = new RegisterEnterprise(UsccFor("320205", 900 + trial), "无锡某精密机械有限公司", "320205", "通用设备制造业", null, "clerk", Now);
            var attemptsBefore = await StreamStartAttemptsAsync();
            var ids = new Guid[8];

            var outcomes = await RaceAsync(8, async i => ids[i] = await App.SendAsync(command, As("clerk", key: $"register-{trial}")));

            outcomes.ShouldAllBe(o => o == null, $"trial {trial}: every caller gets the first result");
            ids.Distinct().ShouldHaveSingleItem();
            (await App.Store.ReadStreamAsync(ids[0])).Count.ShouldBe(1);
            raced = await StreamStartAttemptsAsync() - attemptsBefore > 1;
        }
        raced.ShouldBeTrue("no loser ever reached the database: the race was not exercised");
    }

    [Fact]
    public async Task One_key_for_the_same_command_from_another_actor_is_refused()
    {
        var command = new RegisterEnterprise(UsccFor("320205", 902), "无锡某精密机械有限公司", "320205", "通用设备制造业", null, "clerk", Now);
        await App.SendAsync(command, As("clerk-li", key: "register-902"));

        await Should.ThrowAsync<IdempotencyConflictException>(() => App.SendAsync(command, As("clerk-zhou", key: "register-902")));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_USCC_register_one_enterprise_and_name_it_to_the_others()
    {
        await CountStreamStartsAsync();
        var raced = false;
        for (var trial = 0; trial < 10 && !raced; trial++)
        {
            var uscc = UsccFor("320205", 920 + trial);
            var attemptsBefore = await StreamStartAttemptsAsync();

            var outcomes = await RaceAsync(8, i => App.SendAsync(
                new RegisterEnterprise(uscc, $"企业{i}", "320205", "制造业", null, "clerk", Now), As("clerk")));

            outcomes.Count(o => o is null).ShouldBe(1, $"trial {trial}: one registration");
            var id = Enterprise.StreamIdFor(Uscc.Parse(uscc));
            outcomes.Where(o => o is not null).ShouldAllBe(o => o is DomainException && o.Message.Contains(id.ToString()));
            (await App.Store.ReadStreamAsync(id)).Count.ShouldBe(1);
            raced = await StreamStartAttemptsAsync() - attemptsBefore > 1;
        }
        raced.ShouldBeTrue("no loser ever reached the database: the race was not exercised");
    }

    /// <summary>
    /// A policy issued while a recognition it covers commits: neither transaction sees the other, and the catch-up that
    /// follows each commit determines the award. Run until both orders of commit and the race itself have been seen.
    /// </summary>
    [Fact]
    public async Task A_policy_and_a_recognition_it_covers_committing_together_end_with_exactly_one_award()
    {
        var orders = new HashSet<string>();
        var raced = 0;
        // A county of its own per trial, so no trial's recognition has earlier trials' policies to weigh: the two
        // commands take about as long, and the stagger below decides which commits first.
        var counties = App.Reference.Divisions.Values
            .Where(d => d.Level == Ledger.Reference.DivisionLevel.County && d.Code.StartsWith("32", StringComparison.Ordinal))
            .Select(d => d.Code).Order(StringComparer.Ordinal).ToList();
        for (var trial = 0; trial < 40 && (orders.Count < 2 || raced == 0); trial++)
        {
            var county = counties[trial];
            var enterprise = await RegisterAsync(county);
            var policy = new IssueAwardPolicy(county, "区县", TestPolicies.XishanDraft with { DocumentNumber = $"政发〔2021〕{100 + trial}号" }, "admin", Now);
            Guid designation = default;

            await App.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            {
                // Which of the two starts first alternates, the other a few milliseconds later, so both orders of commit come up.
                var policyFirst = trial % 2 == 0;
                var stagger = TimeSpan.FromMilliseconds(trial / 2 % 8);
                var outcomes = await RaceAsync(2, async i =>
                {
                    if ((i == 1) == policyFirst)
                    {
                        await Task.Delay(stagger);
                    }
                    if (i == 0)
                    {
                        await App.SendAsync(policy, As("admin", "admin"));
                    }
                    else
                    {
                        designation = await ImportRecognitionAsync(enterprise, "municipal-srdi", D(2022, 6, 1));
                    }
                });
                outcomes.ShouldAllBe(o => o == null);
            }));

            var awards = (await App.Store.ReadAllAsync(eventTypes: ["award-determined"]).ToListAsync())
                .Where(e => e.Data is AwardDetermined a && a.PolicyId == policy.PolicyId && a.EnterpriseId == enterprise).ToList();
            awards.ShouldHaveSingleItem($"trial {trial}: one award under the new policy");
            var policyAt = (await App.Store.ReadStreamAsync(policy.PolicyId))[0].Position;
            var recognizedAt = (await App.Store.ReadStreamAsync(designation)).Single(e => e.EventType == "designation-recognized").Position;
            orders.Add(policyAt < recognizedAt ? "policy first" : "recognition first");
            // Determined by the catch-up after the commit, not by either command: the two did not see each other.
            if (awards[0].Metadata.Actor == "system")
            {
                raced++;
            }
        }
        orders.Count.ShouldBe(2, $"both orders of commit (seen: {string.Join(", ", orders)}; races: {raced})");
        raced.ShouldBeGreaterThan(0, "the two commands never raced past each other");
    }

    [Fact]
    public async Task A_caller_supplied_future_instant_cannot_shorten_the_publicity_wait()
    {
        await App.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        await App.SendAsync(new Ledger.Budgets.AppropriateBudget(new Ledger.Budgets.BudgetLineKey("320205", 2024, FundingLevel.County), 1_000_000m, "admin", Now), As("admin", "admin"));
        var enterprise = await RegisterAsync("320205", withBankAccount: true);
        // Recognised on the fixture's day: five working days of publicity follow.
        await ImportRecognitionAsync(enterprise, "municipal-srdi", ChinaTime.DateOf(Now));
        var award = (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem();
        var disbursement = await App.SendAsync(new RequestDisbursement(award.AwardId, Guid.NewGuid(), 50_000m, FundingLevel.County, 2024, "clerk", Now), As("clerk"));
        var head = (await App.Store.HeadAsync()).Position;

        var error = await Should.ThrowAsync<DomainException>(() => App.SendAsync(
            new ApproveDisbursement(award.AwardId, disbursement, "approver-wang", Now.Plus(Duration.FromDays(60))), As("approver-wang", "approver")));

        error.Message.ShouldContain("publicity");
        (await App.Store.HeadAsync()).Position.ShouldBe(head);
    }

    [Fact]
    public async Task The_edge_records_the_callers_identity_not_the_one_the_command_carries()
    {
        var id = await App.SendAsync(
            new RegisterEnterprise(UsccFor("320205", 904), "某企业", "320205", "制造业", null, "somebody-else", Now.Plus(Duration.FromDays(400))),
            new Caller("clerk-li", "clerk", OsUser: "li"));

        var registered = (await App.Store.ReadStreamAsync(id)).ShouldHaveSingleItem();
        registered.Metadata.Actor.ShouldBe("clerk-li");
        registered.Metadata.OsUser.ShouldBe("li");
        ((EnterpriseRegistered)registered.Data).RegisteredBy.ShouldBe("clerk-li");
        ((EnterpriseRegistered)registered.Data).RegisteredAt.ShouldBe(Now);
    }

    [Fact]
    public async Task An_amount_written_with_or_without_its_fen_is_the_same_command_under_one_key()
    {
        await App.SendAsync(new IssueAwardPolicy("320205", "无锡市锡山区", TestPolicies.XishanDraft, "admin", Now), As("admin", "admin"));
        var enterprise = await RegisterAsync("320205", withBankAccount: true);
        await ImportRecognitionAsync(enterprise, "municipal-srdi", D(2022, 6, 1));
        var award = (await AwardsOfAsync(enterprise)).ShouldHaveSingleItem();
        var request = new RequestDisbursement(award.AwardId, Guid.NewGuid(), 100000m, FundingLevel.County, 2024, "clerk", Now);

        await App.SendAsync(request, As("clerk", key: "req-fen"));
        await App.SendAsync(request with { Amount = 100000.00m }, As("clerk", key: "req-fen"));

        (await App.Store.ReadStreamAsync(award.AwardId)).Count(e => e.EventType == "disbursement-requested").ShouldBe(1);
        await Should.ThrowAsync<IdempotencyConflictException>(() => App.SendAsync(request with { Amount = 100000.01m }, As("clerk", key: "req-fen")));
    }
}
