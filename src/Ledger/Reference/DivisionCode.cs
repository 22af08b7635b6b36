using NodaTime;
using NodaTime.Text;

namespace Ledger.Reference;

/// <summary>Administrative division codes (GB/T 2260): six ASCII digits.</summary>
public static class DivisionCode
{
    public static bool IsWellFormed(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit);

    /// <summary>Returns the trimmed code, or throws naming <paramref name="field"/> when it is not six digits.</summary>
    public static string Parse(string? input, string field)
    {
        var code = input?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            throw new DomainException("division.required", $"{field}: a division code (6 digits, GB/T 2260) is required.");
        }
        if (!IsWellFormed(code))
        {
            throw new DomainException("division.format", $"{field}: '{code}' is not a division code (6 digits, GB/T 2260, e.g. 330424).");
        }
        return code;
    }

    /// <summary>
    /// The county-level division (district, county-level city, county) that <paramref name="input"/> names
    /// in the current reference data; throws naming <paramref name="field"/> and the code otherwise.
    /// </summary>
    public static Division RequireCounty(ReferenceData reference, string? input, string field)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var code = Parse(input, field);
        var division = reference.FindDivision(code)
            ?? throw new DomainException("division.unknown", $"{field}: {code} is not a division in the current reference data (divisions.csv).");
        if (division.Level != DivisionLevel.County)
        {
            throw new DomainException(
                "division.not-county",
                $"{field}: {code} is {division.Name}, a {division.Level.ToString().ToLowerInvariant()}-level division; a county-level division (district, county or county-level city) is required.");
        }
        return division;
    }

    /// <summary>
    /// <see cref="RequireCounty"/>, for a county an enterprise enters on <paramref name="on"/> (<paramref name="purpose"/>,
    /// e.g. "the registration date"): a division that ended on or before that day takes no enterprise, though what was
    /// recorded in it while it existed stays there.
    /// </summary>
    public static Division RequireCountyExistingOn(ReferenceData reference, string? input, string field, LocalDate on, string purpose)
    {
        var division = RequireCounty(reference, input, field);
        if (division.EndedOn is { } ended && ended <= on)
        {
            throw new DomainException(
                "division.ended",
                $"{field}: {division.Code} {division.Name} ended on {LocalDatePattern.Iso.Format(ended)} (divisions.csv), on or before {purpose} {LocalDatePattern.Iso.Format(on)}; give the county-level division that took its place.");
        }
        return division;
    }
}
