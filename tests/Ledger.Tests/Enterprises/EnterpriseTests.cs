using Ledger.Enterprises;
using NodaTime;

namespace Ledger.Tests.Enterprises;

public class EnterpriseTests
{
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 5, 2, 30);
    private static readonly Guid Id = Enterprise.StreamIdFor(Uscc.Parse("91330424MA2B3C4D5Y"));

    private static readonly EnterpriseRegistered Registered =
        new(Id, "91330424MA2B3C4D5Y", "海盐精工科技有限公司", "330424", "通用设备制造业", null, "clerk.haiyan", Now);

    [Fact]
    public void Stream_id_is_the_same_for_the_same_uscc_however_it_was_typed()
    {
        Enterprise.StreamIdFor(Uscc.Parse(" 91350100m000100y43")).ShouldBe(Enterprise.StreamIdFor(Uscc.Parse("91350100M000100Y43")));
    }

    [Fact]
    public void Stream_id_of_the_worked_example_never_changes()
    {
        // Stored stream ids depend on the namespace and the "enterprise:" prefix; this pins both.
        Enterprise.StreamIdFor(Uscc.Parse("91350100M000100Y43")).ShouldBe(new Guid("dffe794f-1e7b-589b-87e3-9655e4c41804"));
    }

    [Fact]
    public void Different_usccs_get_different_stream_ids()
    {
        Enterprise.StreamIdFor(Uscc.Parse("91350100M000100Y43")).ShouldNotBe(Id);
    }

    [Fact]
    public void Registration_creates_the_state()
    {
        Enterprise.Fold(null, Registered).ShouldBe(
            new Enterprise(Id, "91330424MA2B3C4D5Y", "海盐精工科技有限公司", "330424", "通用设备制造业", null));
    }

    [Fact]
    public void Corrections_apply_in_order()
    {
        var account = new BankAccount("中国工商银行海盐支行", "海盐精工科技股份有限公司", "1204080009200012345");
        object[] history =
        [
            Registered,
            new EnterpriseDetailsCorrected(Id, [new FieldCorrection(EnterpriseField.Name, "海盐精工科技有限公司", "海盐精工科技股份有限公司")], "更名", "clerk.haiyan", Now),
            new EnterpriseDetailsCorrected(
                Id,
                [
                    new FieldCorrection(EnterpriseField.County, "330424", "330481"),
                    new FieldCorrection(EnterpriseField.Industry, "通用设备制造业", "专用设备制造业"),
                    new FieldCorrection(EnterpriseField.BankAccount, null, account.ToCorrectionValue()),
                ],
                "迁址",
                "clerk.haiyan",
                Now),
        ];

        var state = history.Aggregate((Enterprise?)null, Enterprise.Fold);

        state.ShouldBe(new Enterprise(Id, "91330424MA2B3C4D5Y", "海盐精工科技股份有限公司", "330481", "专用设备制造业", account));
    }

    [Fact]
    public void Events_of_other_streams_leave_the_state_unchanged()
    {
        var state = Enterprise.Fold(null, Registered);

        Enterprise.Fold(state, new object()).ShouldBeSameAs(state);
    }

    [Fact]
    public void Bank_account_survives_its_correction_form()
    {
        var account = new BankAccount("中国农业银行嘉兴分行", "嘉兴某某有限公司", "19350101040012345");

        BankAccount.FromCorrectionValue(account.ToCorrectionValue()).ShouldBe(account);
    }

    [Fact]
    public void Bank_and_holder_names_may_not_contain_the_correction_separator()
    {
        Should.Throw<DomainException>(() => new BankAccount("工行|海盐", "某公司", "12345678").Validated())
            .Code.ShouldBe("bank-account.separator");
    }
}
