using System.Diagnostics.CodeAnalysis;

namespace Ledger.Enterprises;

/// <summary>
/// A Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check
/// character. Always held upper-case and trimmed.
/// </summary>
public readonly record struct Uscc
{
    public const int Length = 18;

    /// <summary>The code's alphabet in value order 0–30; I, O, S, V and Z are never used.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private readonly string? _value;

    private Uscc(string value) => _value = value;

    public string Value => _value ?? string.Empty;

    /// <summary>Characters 3–8: the division code of the registering authority, as issued (it may no longer exist).</summary>
    public string RegistrationDivisionCode => Value.Length == Length ? Value[2..8] : string.Empty;

    public static Uscc Parse(string input)
    {
        var problem = Validate(input, out var code);
        return problem is null ? new Uscc(code) : throw new DomainException(problem.Code, problem.Message);
    }

    public static bool TryParse(string input, out Uscc uscc, [NotNullWhen(false)] out string? error)
    {
        var problem = Validate(input, out var code);
        uscc = problem is null ? new Uscc(code) : default;
        error = problem?.Message;
        return problem is null;
    }

    /// <summary>The check character for the first 17 characters of a code: 31 − (Σ value × weight mod 31), with 31 written as 0.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"expected {Length - 1} characters, got {first17.Length}", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"character {i + 1} '{first17[i]}' is not in the USCC alphabet", nameof(first17));
            }
            sum += value * Weights[i];
        }
        return Alphabet[(31 - (sum % 31)) % 31];
    }

    public override string ToString() => Value;

    private static Problem? Validate(string? input, out string code)
    {
        code = (input ?? string.Empty).Trim().ToUpperInvariant();
        if (code.Length == 0)
        {
            return new Problem("uscc.required", "USCC: a Unified Social Credit Code (18 characters) is required.");
        }
        if (code.Length != Length)
        {
            return new Problem("uscc.length", $"USCC '{code}' has {code.Length} characters; a Unified Social Credit Code has exactly {Length}.");
        }
        for (var i = 0; i < code.Length; i++)
        {
            if (!Alphabet.Contains(code[i], StringComparison.Ordinal))
            {
                var hint = "IOSVZ".Contains(code[i], StringComparison.Ordinal)
                    ? " (I, O, S, V and Z are never used, to avoid confusion with 1, 0, 5, U and 2)"
                    : string.Empty;
                return new Problem("uscc.character", $"USCC '{code}': character {i + 1} '{code[i]}' is not allowed{hint}.");
            }
        }
        var division = code[2..8];
        if (!division.All(char.IsAsciiDigit))
        {
            return new Problem("uscc.division-code", $"USCC '{code}': characters 3–8 '{division}' must be six digits, the registering authority's division code.");
        }
        if (!IsProvinceCode(division[..2]))
        {
            return new Problem("uscc.province-code", $"USCC '{code}': characters 3–4 '{division[..2]}' are not a province code.");
        }
        var expected = CheckCharacter(code.AsSpan(0, Length - 1));
        if (code[^1] != expected)
        {
            return new Problem("uscc.check-character", $"USCC '{code}': check character is '{code[^1]}', expected '{expected}'; a character was probably mistyped.");
        }
        return null;
    }

    private sealed record Problem(string Code, string Message);

    // GB/T 2260 province-level prefixes. Fixed by the standard and independent of today's division table,
    // because codes issued before a division was merged or renumbered stay valid for life.
    private static bool IsProvinceCode(string prefix) =>
        int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture) switch
        {
            >= 11 and <= 15 or >= 21 and <= 23 or >= 31 and <= 37 or >= 41 and <= 46 or >= 50 and <= 54
                or >= 61 and <= 65 or 71 or 81 or 82 => true,
            _ => false,
        };
}
