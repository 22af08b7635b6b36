using Ledger.Enterprises;

namespace Ledger.Tests.Enterprises;

public class UsccTests
{
    // The worked example of GB 32100-2015.
    private const string Example = "91350100M000100Y43";

    [Fact]
    public void The_standards_worked_example_is_valid()
    {
        Uscc.Parse(Example).Value.ShouldBe(Example);
        Uscc.Parse(Example).RegistrationDivisionCode.ShouldBe("350100");
    }

    [Fact]
    public void Check_character_of_the_worked_example_is_3()
    {
        Uscc.CheckCharacter(Example.AsSpan(0, 17)).ShouldBe('3');
    }

    [Fact]
    public void Lower_case_input_parses_to_the_upper_case_code()
    {
        Uscc.Parse("91350100m000100y43").Value.ShouldBe(Example);
    }

    [Fact]
    public void Surrounding_spaces_are_trimmed()
    {
        Uscc.Parse("  91350100M000100Y43\u3000").Value.ShouldBe(Example);
    }

    [Fact]
    public void The_worked_example_ending_in_Z_is_invalid()
    {
        var error = Should.Throw<DomainException>(() => Uscc.Parse("91350100M000100Y4Z"));

        error.Code.ShouldBe("uscc.character");
        error.Message.ShouldContain("character 18 'Z'");
    }

    [Fact]
    public void Every_substitution_of_one_character_by_another_allowed_character_is_invalid()
    {
        var accepted = new List<string>();
        for (var position = 0; position < Uscc.Length; position++)
        {
            foreach (var replacement in Uscc.Alphabet)
            {
                if (replacement == Example[position])
                {
                    continue;
                }
                var mistyped = string.Concat(Example.AsSpan(0, position), replacement.ToString(), Example.AsSpan(position + 1));
                if (Uscc.TryParse(mistyped, out _, out _))
                {
                    accepted.Add(mistyped);
                }
            }
        }

        accepted.ShouldBeEmpty();
    }

    [Fact]
    public void Every_single_substitution_outside_the_division_code_fails_on_the_check_character()
    {
        // Positions 3–8 may also fail as a division code; everywhere else only the check character can catch it.
        foreach (var position in Enumerable.Range(0, Uscc.Length).Where(p => p is < 2 or >= 8))
        {
            foreach (var replacement in Uscc.Alphabet.Where(c => c != Example[position]))
            {
                var mistyped = string.Concat(Example.AsSpan(0, position), replacement.ToString(), Example.AsSpan(position + 1));
                Should.Throw<DomainException>(() => Uscc.Parse(mistyped)).Code.ShouldBe("uscc.check-character");
            }
        }
    }

    [Theory]
    [InlineData('I', 1)]
    [InlineData('O', 9)]
    [InlineData('S', 10)]
    [InlineData('V', 16)]
    [InlineData('Z', 17)]
    public void Letters_never_used_are_refused_naming_position_and_character(char letter, int position)
    {
        var input = string.Concat(Example.AsSpan(0, position - 1), letter.ToString(), Example.AsSpan(position));

        Uscc.TryParse(input, out var uscc, out var error).ShouldBeFalse();

        uscc.ShouldBe(default);
        error.ShouldNotBeNull();
        error.ShouldContain($"character {position} '{letter}' is not allowed");
        error.ShouldContain("I, O, S, V and Z are never used");
    }

    [Fact]
    public void A_lower_case_letter_never_used_is_named_upper_case()
    {
        Should.Throw<DomainException>(() => Uscc.Parse("91350100M000100o43")).Message.ShouldContain("character 16 'O'");
    }

    [Fact]
    public void Punctuation_is_refused_naming_position()
    {
        Should.Throw<DomainException>(() => Uscc.Parse("91350100-000100Y43")).Message.ShouldContain("character 9 '-'");
    }

    [Theory]
    [InlineData("91350100M000100Y4", 17)]
    [InlineData("91350100M000100Y433", 19)]
    [InlineData("9135", 4)]
    public void Codes_of_the_wrong_length_are_refused(string input, int length)
    {
        var error = Should.Throw<DomainException>(() => Uscc.Parse(input));

        error.Code.ShouldBe("uscc.length");
        error.Message.ShouldContain($"has {length} characters");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_code_is_refused(string? input)
    {
        Should.Throw<DomainException>(() => Uscc.Parse(input!)).Code.ShouldBe("uscc.required");
    }

    [Fact]
    public void Check_character_mismatch_names_the_expected_character()
    {
        var error = Should.Throw<DomainException>(() => Uscc.Parse("91350100M000100Y44"));

        error.Code.ShouldBe("uscc.check-character");
        error.Message.ShouldContain("expected '3'");
    }

    [Fact]
    public void Division_code_with_a_letter_is_refused()
    {
        Should.Throw<DomainException>(() => Uscc.Parse("9135A100M000100Y43")).Code.ShouldBe("uscc.division-code");
    }

    [Theory]
    [InlineData("00")]
    [InlineData("10")]
    [InlineData("16")]
    [InlineData("38")]
    [InlineData("47")]
    [InlineData("55")]
    [InlineData("66")]
    [InlineData("72")]
    [InlineData("83")]
    [InlineData("99")]
    public void Division_code_outside_the_province_codes_is_refused(string province)
    {
        var error = Should.Throw<DomainException>(() => Uscc.Parse($"91{province}0100M000100Y43"));

        error.Code.ShouldBe("uscc.province-code");
        error.Message.ShouldContain($"'{province}'");
    }

    [Theory]
    [InlineData("91320202MA1MXXXX0B")] // 320202 崇安区 (Wuxi), merged into 梁溪区 in 2015
    [InlineData("91330424MA2B3C4D5Y")] // 海盐县
    public void Division_codes_need_not_exist_today(string code)
    {
        Uscc.Parse(code).Value.ShouldBe(code);
    }

    [Fact]
    public void Every_province_code_is_accepted()
    {
        int[] provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82];
        foreach (var province in provinces)
        {
            var body = $"91{province}0100MA1B2C3D4";
            var code = body + Uscc.CheckCharacter(body);
            Uscc.TryParse(code, out var parsed, out var error).ShouldBeTrue(error);
            parsed.Value.ShouldBe(code);
        }
    }

    [Fact]
    public void Codes_with_the_same_characters_are_equal()
    {
        Uscc.Parse("91350100m000100y43").ShouldBe(Uscc.Parse(Example));
        Uscc.Parse(Example).ToString().ShouldBe(Example);
    }
}
