using Ledger.Enterprises;
using Ledger.Reference;
using Ledger.Tests.Reference;
using NodaTime;

namespace Ledger.Tests.Enterprises;

public class EnterpriseDeciderTests
{
    private const string HaiyanUscc = "91330424MA2B3C4D5Y";
    private static readonly ReferenceData Reference = ShippedReferenceData.Instance;
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 5, 2, 30);
    private static readonly Guid HaiyanId = Enterprise.StreamIdFor(Uscc.Parse(HaiyanUscc));
    private static readonly BankAccount Account = new("中国工商银行海盐支行", "海盐精工科技有限公司", "1204080009200012345");

    private static RegisterEnterprise Registration(
        string uscc = HaiyanUscc,
        string name = "海盐精工科技有限公司",
        string countyCode = "330424",
        string industry = "通用设备制造业",
        BankAccount? bankAccount = null,
        string registeredBy = "clerk.haiyan") =>
        new(uscc, name, countyCode, industry, bankAccount, registeredBy, Now);

    private static CorrectEnterpriseDetails Correction(
        string? name = null,
        string? countyCode = null,
        string? industry = null,
        BankAccount? bankAccount = null,
        string reason = "营业执照变更",
        Guid? enterpriseId = null) =>
        new(enterpriseId ?? HaiyanId, name, countyCode, industry, bankAccount, reason, "clerk.haiyan", Now.Plus(Duration.FromDays(30)));

    private static Enterprise? Given(params object[] events) =>
        events.Aggregate((Enterprise?)null, Enterprise.Fold);

    private static EnterpriseRegistered Registered(BankAccount? bankAccount = null) =>
        new(HaiyanId, HaiyanUscc, "海盐精工科技有限公司", "330424", "通用设备制造业", bankAccount, "clerk.haiyan", Now);

    private static DomainException Refused(Action decide) => Should.Throw<DomainException>(decide);

    [Fact]
    public void Registration_records_the_enterprise_under_the_stream_id_of_its_uscc()
    {
        var events = EnterpriseDecider.Decide(Registration(bankAccount: Account), Given(), Reference);

        events.ShouldHaveSingleItem().ShouldBe(Registered(Account));
    }

    [Fact]
    public void Registration_normalises_uscc_case_surrounding_spaces_and_account_number_spacing()
    {
        var command = Registration(
            uscc: " 91330424ma2b3c4d5y ",
            name: "  海盐精工科技有限公司 ",
            industry: " 通用设备制造业",
            bankAccount: Account with { AccountNumber = "1204 0800 0920 0012 345" });

        var registered = EnterpriseDecider.Decide(command, Given(), Reference).ShouldHaveSingleItem().ShouldBeOfType<EnterpriseRegistered>();

        registered.ShouldBe(Registered(Account));
    }

    [Fact]
    public void Second_registration_names_the_existing_enterprise()
    {
        var existing = Given(Registered());

        var error = Refused(() => EnterpriseDecider.Decide(Registration(name: "另一家公司"), existing, Reference));

        error.Code.ShouldBe("enterprise.already-registered");
        error.Message.ShouldContain(HaiyanId.ToString());
        error.Message.ShouldContain("海盐精工科技有限公司");
    }

    [Fact]
    public void Registration_with_an_invalid_uscc_is_refused()
    {
        Refused(() => EnterpriseDecider.Decide(Registration(uscc: "91330424MA2B3C4D5X"), Given(), Reference))
            .Code.ShouldBe("uscc.check-character");
    }

    [Theory]
    [InlineData("330400", "division.not-county")]  // 嘉兴市, a city
    [InlineData("330000", "division.not-county")]  // 浙江省
    [InlineData("320202", "division.unknown")]     // merged away in 2015
    [InlineData("3304", "division.format")]
    [InlineData("", "division.required")]
    public void Registration_requires_a_current_county_level_division(string countyCode, string code)
    {
        var error = Refused(() => EnterpriseDecider.Decide(Registration(countyCode: countyCode), Given(), Reference));

        error.Code.ShouldBe(code);
        error.Message.ShouldStartWith("countyCode:");
    }

    [Fact]
    public void Registration_in_a_county_that_has_ended_is_refused_naming_the_field_and_the_end_date()
    {
        var error = Refused(() => EnterpriseDecider.Decide(Registration(countyCode: "320611"), Given(), EndedDivisions.Shipped));

        error.Code.ShouldBe("division.ended");
        error.Message.ShouldStartWith("countyCode: 320611 港闸区 ended on 2020-07-17 (divisions.csv), on or before the registration date 2024-03-05");
    }

    [Fact]
    public void Registration_counts_the_day_a_county_ended_by_the_date_in_China()
    {
        // 港闸区 ended on 2020-07-17, which began at 16:00 UTC the day before.
        var lastMinute = Registration(countyCode: "320611") with { RegisteredAt = Instant.FromUtc(2020, 7, 16, 15, 59) };
        var firstMinute = Registration(countyCode: "320611") with { RegisteredAt = Instant.FromUtc(2020, 7, 16, 16, 0) };

        EnterpriseDecider.Decide(lastMinute, Given(), EndedDivisions.Shipped)
            .ShouldHaveSingleItem().ShouldBeOfType<EnterpriseRegistered>().CountyCode.ShouldBe("320611");
        Refused(() => EnterpriseDecider.Decide(firstMinute, Given(), EndedDivisions.Shipped)).Code.ShouldBe("division.ended");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Registration_requires_a_name(string name)
    {
        Refused(() => EnterpriseDecider.Decide(Registration(name: name), Given(), Reference))
            .Code.ShouldBe("enterprise.name-required");
    }

    [Fact]
    public void Registration_requires_an_industry()
    {
        Refused(() => EnterpriseDecider.Decide(Registration(industry: " "), Given(), Reference))
            .Code.ShouldBe("enterprise.industry-required");
    }

    [Fact]
    public void Registration_requires_the_registering_user()
    {
        Refused(() => EnterpriseDecider.Decide(Registration(registeredBy: ""), Given(), Reference))
            .Code.ShouldBe("enterprise.actor-required");
    }

    [Theory]
    [InlineData("1234567", "bank-account.number-format")]                          // 7 digits
    [InlineData("1234567890123456789012345678901", "bank-account.number-format")]  // 31 digits
    [InlineData("12040800092000A2345", "bank-account.number-format")]
    [InlineData("1204-0800-0920", "bank-account.number-format")]
    public void Registration_with_a_malformed_account_number_is_refused(string number, string code)
    {
        var error = Refused(() => EnterpriseDecider.Decide(Registration(bankAccount: Account with { AccountNumber = number }), Given(), Reference));

        error.Code.ShouldBe(code);
        error.Message.ShouldStartWith("bankAccount.accountNumber:");
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("123456789012345678901234567890")]
    public void Account_numbers_of_8_to_30_digits_are_accepted(string number)
    {
        var registered = EnterpriseDecider.Decide(Registration(bankAccount: Account with { AccountNumber = number }), Given(), Reference)
            .ShouldHaveSingleItem().ShouldBeOfType<EnterpriseRegistered>();

        registered.BankAccount.ShouldNotBeNull().AccountNumber.ShouldBe(number);
    }

    [Fact]
    public void Registration_with_a_bank_account_missing_its_bank_or_holder_is_refused()
    {
        Refused(() => EnterpriseDecider.Decide(Registration(bankAccount: Account with { BankName = " " }), Given(), Reference))
            .Code.ShouldBe("bank-account.bank-name-required");
        Refused(() => EnterpriseDecider.Decide(Registration(bankAccount: Account with { AccountName = "" }), Given(), Reference))
            .Code.ShouldBe("bank-account.account-name-required");
    }

    [Fact]
    public void Correction_records_only_the_fields_that_change()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        var events = EnterpriseDecider.Decide(
            Correction(name: "海盐精工科技股份有限公司", countyCode: "330424", industry: "专用设备制造业"), state, Reference);

        var corrected = events.ShouldHaveSingleItem().ShouldBeOfType<EnterpriseDetailsCorrected>();
        corrected.EnterpriseId.ShouldBe(HaiyanId);
        corrected.Corrections.ShouldBe(
        [
            new FieldCorrection(EnterpriseField.Name, "海盐精工科技有限公司", "海盐精工科技股份有限公司"),
            new FieldCorrection(EnterpriseField.Industry, "通用设备制造业", "专用设备制造业"),
        ]);
        corrected.Reason.ShouldBe("营业执照变更");
        corrected.CorrectedBy.ShouldBe("clerk.haiyan");
    }

    [Fact]
    public void Correction_of_the_county_records_old_and_new_code()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        var corrected = EnterpriseDecider.Decide(Correction(countyCode: "330481"), state, Reference)
            .ShouldHaveSingleItem().ShouldBeOfType<EnterpriseDetailsCorrected>();

        corrected.Corrections.ShouldBe([new FieldCorrection(EnterpriseField.County, "330424", "330481")]);
    }

    [Fact]
    public void Correction_of_the_bank_account_records_old_and_new_account()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        var corrected = EnterpriseDecider.Decide(Correction(bankAccount: Account), state, Reference)
            .ShouldHaveSingleItem().ShouldBeOfType<EnterpriseDetailsCorrected>();

        corrected.Corrections.ShouldBe(
            [new FieldCorrection(EnterpriseField.BankAccount, null, "中国工商银行海盐支行|海盐精工科技有限公司|1204080009200012345")]);
    }

    [Fact]
    public void Correction_needs_a_reason()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        Refused(() => EnterpriseDecider.Decide(Correction(name: "新名称有限公司", reason: "  "), state, Reference))
            .Code.ShouldBe("enterprise.correction-reason-required");
    }

    [Fact]
    public void Correction_that_changes_nothing_is_refused()
    {
        var state = Given(Registered(Account)).ShouldNotBeNull();

        var sameValues = Correction(
            name: " 海盐精工科技有限公司", countyCode: "330424", industry: "通用设备制造业",
            bankAccount: Account with { AccountNumber = "1204 0800 0920 0012 345" });

        Refused(() => EnterpriseDecider.Decide(sameValues, state, Reference)).Code.ShouldBe("enterprise.correction-changes-nothing");
        Refused(() => EnterpriseDecider.Decide(Correction(), state, Reference)).Code.ShouldBe("enterprise.correction-changes-nothing");
    }

    [Fact]
    public void Correction_to_a_division_that_is_not_county_level_is_refused()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        var error = Refused(() => EnterpriseDecider.Decide(Correction(countyCode: "330400"), state, Reference));

        error.Code.ShouldBe("division.not-county");
        error.Message.ShouldStartWith("countyCode: 330400");
    }

    [Fact]
    public void Correction_cannot_blank_the_name()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        Refused(() => EnterpriseDecider.Decide(Correction(name: " "), state, Reference)).Code.ShouldBe("enterprise.name-required");
    }

    [Fact]
    public void Correction_for_another_enterprise_is_refused()
    {
        var state = Given(Registered()).ShouldNotBeNull();

        Refused(() => EnterpriseDecider.Decide(Correction(name: "新名称有限公司", enterpriseId: Guid.NewGuid()), state, Reference))
            .Code.ShouldBe("enterprise.id-mismatch");
    }
}
