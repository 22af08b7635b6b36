using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Policies;
using Ledger.Reference;
using Npgsql;

namespace Ledger.Disbursements;

/// <summary>
/// Disbursements, two-phase: requested → approved by distinct approvers (the final approval reserves on the
/// budget line in the same commit) → paid or returned; rejected or cancelled before payment. Each command
/// decides on the award's account (its stream holds the award, its disbursements and clawbacks), so two
/// commands on one award race on one stream version: exactly one wins, the other gets a conflict.
/// </summary>
public sealed class DisbursementHandler(
    CommandRunner runner, ReferenceData reference, ApprovalSettings settings,
    AwardHandler awards)
{
    private EventStore.EventStore Store => runner.Store;

    public async Task<Guid> RequestAsync(RequestDisbursement command, CommandContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A disbursement id used elsewhere is refused by the disbursements table's key at commit (below), not by a
            // query before deciding: one round trip less for every request, the same refusal for the rare reuse.
            await runner.RunAsync(context, command with { At = default }, async ct =>
            {
                var (account, designation, payee) = await AccountWithPayeeAsync(command.AwardId, ct);
                return DecisionStreams.Appends(account, DisbursementDecider.Decide(command, account, designation, payee));
            }, cancellationToken: cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "disbursements_pkey")
        {
            await RefuseUsedIdAsync(command.DisbursementId, cancellationToken);
            throw;
        }
        return command.DisbursementId;
    }

    /// <summary>Disbursement ids are unique across the ledger, not only within one award's account.</summary>
    private async Task RefuseUsedIdAsync(Guid disbursementId, CancellationToken cancellationToken)
    {
        await using var command = Store.DataSource.CreateCommand("SELECT award_id FROM disbursements WHERE disbursement_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = disbursementId });
        if (await command.ExecuteScalarAsync(cancellationToken) is Guid award)
        {
            throw new DomainException("disbursement.duplicate-id",
                $"disbursementId: {disbursementId} is already a disbursement of award {award}; give the new request its own id.");
        }
    }

    /// <summary>The final approval also publishes the treasury's payment instruction, committed with it (Wolverine's outbox).</summary>
    public Task ApproveAsync(ApproveDisbursement command, CommandContext context, CancellationToken cancellationToken = default)
    {
        var followUps = new List<object>();
        return runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = await AccountAsync(command.AwardId, ct);
            var disbursement = account.Find(command.DisbursementId)
                ?? throw new DomainException("disbursement.not-found", $"disbursementId: award {command.AwardId} has no disbursement {command.DisbursementId}.");
            // Everything the approval may need in one round trip (the payee only for the final approval's instruction).
            var (designationFold, policyFold, lineFold, payeeFold) = (DesignationHandler.Fold(account.Award.DesignationId), PolicyHandler.Fold(account.Award.PolicyId),
                BudgetHandler.Fold(disbursement.ReservationLine), EnterpriseHandler.Fold(account.Award.EnterpriseId));
            await Store.AggregateStreamsAsync([designationFold, policyFold, lineFold, payeeFold], ct);
            var (policy, line) = (policyFold.Result.State, lineFold.Result);
            var decision = DisbursementDecider.Decide(command, account, designationFold.Result.State, policy, line.State, settings, reference.Calendar);
            if (TreasuryInstructions.Sent(decision) is { } approved)
            {
                followUps.Add(TreasuryInstructions.For(approved, disbursement, account.Award, policy, Payee(account, payeeFold), reference));
            }
            return DecisionStreams.Appends(account, decision, new Dictionary<BudgetLineKey, long> { [line.State.Key] = line.Version });
        }, cancellationToken: cancellationToken, followUps: followUps);
    }

    public Task RejectAsync(RejectDisbursement command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = await AccountAsync(command.AwardId, ct);
            return DecisionStreams.Appends(account, DisbursementDecider.Decide(command, account));
        }, command.Reason, cancellationToken);

    public Task CancelAsync(CancelDisbursement command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = await AccountAsync(command.AwardId, ct);
            return DecisionStreams.Appends(account, DisbursementDecider.Decide(command, account));
        }, command.Reason, cancellationToken);

    /// <summary>Records the treasury's payment. A voucher number already used anywhere in the ledger is refused, naming its disbursement.</summary>
    public async Task PayAsync(RecordDisbursementPayment command, CommandContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A voucher used before is refused by the vouchers table's key at commit (below), not by a query first.
            await runner.RunAsync(context, command with { At = default }, async ct =>
            {
                // The enterprise's stream with its moves: the payment records the county of its value date.
                var (account, designation, payee) = await AccountWithPayeeAsync(command.AwardId, ct);
                return DecisionStreams.Appends(account, DisbursementDecider.Decide(command, account, designation, payee, reference.Calendar));
            }, cancellationToken: cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "vouchers_pkey")
        {
            await RefuseUsedVoucherAsync(command.VoucherNumber, cancellationToken);
            throw;
        }
    }

    public Task ReturnAsync(RecordDisbursementReturn command, CommandContext context, CancellationToken cancellationToken = default) =>
        runner.RunAsync(context, command with { At = default }, async ct =>
        {
            var account = await AccountAsync(command.AwardId, ct);
            return DecisionStreams.Appends(account, DisbursementDecider.Decide(command, account));
        }, command.Reason, cancellationToken);

    private async Task RefuseUsedVoucherAsync(string voucherNumber, CancellationToken cancellationToken)
    {
        await using var command = Store.DataSource.CreateCommand("SELECT disbursement_id, award_id FROM vouchers WHERE voucher_number = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = voucherNumber.Trim() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            throw new DomainException("disbursement.voucher-used",
                $"voucherNumber: treasury voucher {voucherNumber.Trim()} already records the payment of disbursement {reader.GetGuid(0)} (award {reader.GetGuid(1)}); check the voucher number.");
        }
    }

    /// <summary>
    /// The award's account with its designation and payee. An award names both when it is determined and never changes
    /// them, so once this process has folded the award, the three streams are read in one round trip (the names taken
    /// from the cached fold are checked against the fresh one).
    /// </summary>
    private async Task<(AwardAccount Account, DesignationState Designation, Enterprise Payee)> AccountWithPayeeAsync(Guid awardId, CancellationToken cancellationToken)
    {
        var accountFold = AwardHandler.Fold(awardId);
        if (Store.CachedFold(accountFold) is { State.Award.Status: not AwardStatus.None } known)
        {
            var (designation, payee) = (DesignationHandler.Fold(known.State.Award.DesignationId), EnterpriseHandler.Fold(known.State.Award.EnterpriseId));
            await Store.AggregateStreamsAsync([accountFold, designation, payee], cancellationToken);
            var account = accountFold.Result.State;
            if (account.Award.DesignationId == designation.StreamId && account.Award.EnterpriseId == payee.StreamId)
            {
                return (account, designation.Result.State, Payee(account, payee));
            }
        }
        var read = await AccountAsync(awardId, cancellationToken);
        var (readDesignation, readPayee) = (DesignationHandler.Fold(read.Award.DesignationId), EnterpriseHandler.Fold(read.Award.EnterpriseId));
        await Store.AggregateStreamsAsync([readDesignation, readPayee], cancellationToken);
        return (read, readDesignation.Result.State, Payee(read, readPayee));
    }

    private static Enterprise Payee(AwardAccount account, StreamFold<Enterprise?> payee) =>
        payee.Result.State ?? throw new DomainException("enterprise.not-found", $"the award's enterprise {account.Award.EnterpriseId} is not registered.");

    private async Task<AwardAccount> AccountAsync(Guid awardId, CancellationToken cancellationToken)
    {
        var account = (await awards.LoadAsync(awardId, null, cancellationToken)).State;
        return account.Award.Status == AwardStatus.None
            ? throw new DomainException("award.not-found", $"awardId: no award {awardId} has been determined.")
            : account;
    }
}
