using Ledger.Awards;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Reference;
using Ledger.Treasury;

namespace Ledger.Disbursements;

/// <summary>What the treasury is told to pay once a disbursement's approvals are complete.</summary>
internal static class TreasuryInstructions
{
    /// <summary>
    /// The approval of a decision that sends an instruction, or null: only the final approval of a request approved now
    /// does; an earlier approval reserves nothing yet, and a paper approval recorded by an import was instructed on paper at the time.
    /// </summary>
    public static DisbursementApproved? Sent(Decision decision) =>
        decision.AwardEvents.OfType<DisbursementApproved>().SingleOrDefault() is { Final: true, Historical: false } approved ? approved : null;

    /// <summary>The line the treasury is to pay: the reserving line as payer, the requested account as payee's.</summary>
    public static WriteTreasuryInstruction For(
        DisbursementApproved approved, Disbursement disbursement, AwardState award, AwardPolicyState policy, Enterprise payee, ReferenceData reference)
    {
        var line = disbursement.ReservationLine;
        var payer = reference.FindDivision(line.DivisionCode) ?? throw new DomainException(
            "treasury.unknown-division",
            $"Budget line {line} pays disbursement {disbursement.Number} of award {award.Id}, but division {line.DivisionCode} is not in the reference data, and the treasury instruction names the payer; add it to divisions.csv.");
        return new WriteTreasuryInstruction(
            disbursement.Id, award.Id, line, payer.Name, payee.Name, payee.Uscc, disbursement.PayeeAccount, disbursement.Amount,
            Purpose(award, policy, reference), approved.ApprovedAt);
    }

    /// <summary>"专精特新奖励资金：国家级专精特新“小巨人”认定奖励（嘉兴市专精特新奖励，嘉政发〔2022〕1号）".</summary>
    private static string Purpose(AwardState award, AwardPolicyState policy, ReferenceData reference)
    {
        var rule = award.Rule ?? throw new ArgumentException($"Award {award.Id} has no rule.", nameof(award));
        var terms = policy.Version(award.PolicyVersion).Terms;
        var tier = reference.FindTier(rule.Tier)?.NameZh ?? rule.Tier;
        var kind = rule.Trigger == AwardTrigger.Recognition ? "认定奖励" : "复审通过奖励";
        return $"专精特新奖励资金：{tier}{kind}（{terms.Title}，{terms.DocumentNumber}）";
    }
}
