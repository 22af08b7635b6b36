using Ledger.Awards;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Awards.AwardFixtures;
using static Ledger.Tests.Disbursements.PaymentFixtures;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Disbursements;

public class RequestTests
{
    [Fact]
    public void Request_records_amount_source_planned_year_payee_account_and_requester() =>
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, 300000m, FundingLevel.City))
            .Then(new DisbursementRequested(
                LittleGiantAward.AwardId, D1, Money.Of(300000m), FundingLevel.City, JiaxingCode, 2024, EnterpriseA, AccountA, Clerk, Now));

    [Fact]
    public void Request_may_be_made_during_the_publicity_period() =>
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, 300000m, FundingLevel.County, at: On(9, 30)))
            .ThenSingle<DisbursementRequested>()
            .DivisionCode.ShouldBe(Haiyan);

    [Fact]
    public void Planned_year_defaults_to_the_year_of_the_request_in_China()
    {
        // 2024-12-31 16:30 UTC is already 2025-01-01 00:30 in Beijing.
        var newYearsNight = Instant.FromUtc(2024, 12, 31, 16, 30);
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, 300000m, FundingLevel.City, year: null, at: newYearsNight))
            .ThenSingle<DisbursementRequested>()
            .PlannedYear.ShouldBe(2025);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.01)]
    [InlineData(-100000)]
    public void Amounts_of_zero_or_less_are_refused(decimal amount) =>
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, amount, FundingLevel.City))
            .ThenFails("disbursement.amount-not-positive")
            .Message.ShouldContain("must be greater than 0");

    [Fact]
    public void Amounts_with_more_than_two_decimals_are_refused() =>
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, 1000.005m, FundingLevel.City))
            .ThenFails("money.precision")
            .Message.ShouldStartWith("amount: 1000.005 has more than 2 decimal places");

    [Fact]
    public void Source_must_be_a_level_of_the_award_funding_split() =>
        Spec.Given(Basics)
            .When(h => Request(h, XishanAward, D1, 1000m, FundingLevel.City))
            .ThenFails("disbursement.unknown-source")
            .Message.ShouldContain("choose one of its funding sources: county");

    [Fact]
    public void Tranches_from_one_source_never_exceed_its_share()
    {
        // City share 750,000: 500,000 requested and 200,000 paid leave 50,000.
        var given = Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 500000m, FundingLevel.City))
            .And(PaidTranche(LittleGiantAward, D2, 200000m, FundingLevel.City, D(2024, 10, 20)));
        given.When(h => Request(h, LittleGiantAward, D3, 50000.01m, FundingLevel.City))
            .ThenFails("disbursement.exceeds-share")
            .Message.ShouldContain("above the share of 750000.00 (700000.00 already committed); at most 50000.00 can still be requested");
        given.When(h => Request(h, LittleGiantAward, D3, 50000m, FundingLevel.City))
            .ThenSingle<DisbursementRequested>();
    }

    [Fact]
    public void Each_source_is_limited_by_its_own_share_only() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 750000m, FundingLevel.City))
            .When(h => Request(h, LittleGiantAward, D2, 750000m, FundingLevel.County))
            .ThenSingle<DisbursementRequested>();

    [Fact]
    public void Rejected_cancelled_and_returned_disbursements_no_longer_count_against_the_share() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 750000m, FundingLevel.City), new DisbursementRejected(LittleGiantAward.AwardId, D1, "材料不全", ApproverWang, Now))
            .And(Requested(LittleGiantAward, D2, 750000m, FundingLevel.City), new DisbursementCancelled(LittleGiantAward.AwardId, D2, "重复申请", Clerk, Now))
            .And(PaidTranche(LittleGiantAward, D3, 750000m, FundingLevel.City, D(2024, 10, 20)))
            .And(new DisbursementReturned(LittleGiantAward.AwardId, D3, Money.Of(750000m), D(2024, 10, 25), "账户已销户", Clerk, Now))
            .When(h => Request(h, LittleGiantAward, Guid.NewGuid(), 750000m, FundingLevel.City))
            .ThenSingle<DisbursementRequested>()
            .Amount.ShouldBe(Money.Of(750000m));

    [Fact]
    public void Cancelled_award_cannot_be_requested() =>
        Spec.Given(Basics)
            .And(new AwardCancelled(LittleGiantAward.AwardId, "重复认定", Money.Zero, LittleGiantAward.Amount, Unpaid.Of(LittleGiantAward), "admin", Now))
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City))
            .ThenFails("disbursement.award-cancelled")
            .Message.ShouldContain("is cancelled: cannot request a disbursement");

    [Fact]
    public void Award_whose_designation_was_revoked_cannot_be_requested() =>
        Spec.Given(Basics)
            .And(RevokedFor(LittleGiantAward))
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City))
            .ThenFails("disbursement.designation-revoked")
            .Message.ShouldContain("was revoked on 2024-11-01: cannot request a disbursement");

    [Fact]
    public void Expired_designation_does_not_stop_payment_of_an_award_it_earned() =>
        Spec.Given(Basics)
            .And(new DesignationExpired(LittleGiantAward.DesignationId, D(2027, 9, 27), "expiry-run", Now))
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City))
            .ThenSingle<DisbursementRequested>();

    [Fact]
    public void Payee_without_a_registered_bank_account_is_refused() =>
        Spec.Given([.. Basics.Where(e => e is not EnterpriseRegistered { EnterpriseId: var id } || id != EnterpriseA)])
            .And(Registered(EnterpriseA, Haiyan, null))
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City))
            .ThenFails("disbursement.payee-no-bank-account");

    [Fact]
    public void Planned_year_before_the_determination_is_refused() =>
        Spec.Given(Basics)
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City, year: 2023))
            .ThenFails("disbursement.planned-year")
            .Message.ShouldContain("plan the payment for 2024 or later");

    [Fact]
    public void Disbursement_id_cannot_be_reused() =>
        Spec.Given(Basics)
            .And(Requested(LittleGiantAward, D1, 1000m, FundingLevel.City))
            .When(h => Request(h, LittleGiantAward, D1, 1000m, FundingLevel.City))
            .ThenFails("disbursement.duplicate-id");

    private const string JiaxingCode = TestReference.Jiaxing;
}
