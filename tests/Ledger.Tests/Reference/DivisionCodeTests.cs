using Ledger.Reference;

namespace Ledger.Tests.Reference;

public class DivisionCodeTests
{
    private static readonly ReferenceData Data = ShippedReferenceData.Instance;

    [Theory]
    [InlineData("330424", true)]
    [InlineData("100000", true)]
    [InlineData("33042", false)]
    [InlineData("3304240", false)]
    [InlineData("33O424", false)]
    [InlineData("３３０４２４", false)] // full-width digits
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Well_formed_codes_are_six_ASCII_digits(string? code, bool expected)
    {
        DivisionCode.IsWellFormed(code).ShouldBe(expected);
    }

    [Fact]
    public void A_current_county_level_division_is_returned()
    {
        DivisionCode.RequireCounty(Data, " 330424 ", "countyCode").Name.ShouldBe("海盐县");
    }

    [Fact]
    public void A_malformed_code_is_refused_naming_the_field()
    {
        var error = Should.Throw<DomainException>(() => DivisionCode.RequireCounty(Data, "33042", "countyCode"));

        error.Code.ShouldBe("division.format");
        error.Message.ShouldStartWith("countyCode: '33042'");
    }

    [Fact]
    public void A_missing_code_is_refused_naming_the_field()
    {
        Should.Throw<DomainException>(() => DivisionCode.RequireCounty(Data, "  ", "countyCode"))
            .Code.ShouldBe("division.required");
    }

    [Fact]
    public void A_code_that_is_not_a_current_division_is_refused_naming_field_and_code()
    {
        // 320202 崇安区 was merged into 梁溪区 in 2015.
        var error = Should.Throw<DomainException>(() => DivisionCode.RequireCounty(Data, "320202", "countyCode"));

        error.Code.ShouldBe("division.unknown");
        error.Message.ShouldStartWith("countyCode: 320202");
    }

    [Theory]
    [InlineData("330400", "嘉兴市")]
    [InlineData("330000", "浙江省")]
    [InlineData("110000", "北京市")]
    public void A_division_above_county_level_is_refused_naming_field_and_code(string code, string name)
    {
        var error = Should.Throw<DomainException>(() => DivisionCode.RequireCounty(Data, code, "countyCode"));

        error.Code.ShouldBe("division.not-county");
        error.Message.ShouldStartWith($"countyCode: {code} is {name}");
    }
}
