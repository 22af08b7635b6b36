using System.Globalization;

namespace Ledger.Reference;

/// <summary>
/// Loads tiers.csv, divisions.csv, non-working-days.csv and authorities.csv (UTF-8, header line first) and refuses
/// the whole set at the first problem, naming the file and line, so a bad edit stops the program at
/// startup instead of deciding with half the data.
/// </summary>
public static partial class ReferenceDataLoader
{
    public const string TiersFile = "tiers.csv";
    public const string DivisionsFile = "divisions.csv";
    public const string NonWorkingDaysFile = "non-working-days.csv";
    public const string AuthoritiesFile = "authorities.csv";

    /// <summary>Names a directory holding the four files, instead of <c>reference/</c> beside the binaries.</summary>
    public const string DirectoryVariable = "LEDGER_REFERENCE_DIR";

    /// <summary>The holiday table must cover at least these years (docs/decisions.md).</summary>
    public const int FirstRequiredYear = 2019;
    public const int LastRequiredYear = 2026;

    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "reference");

    public static ReferenceData LoadDefault() => Load(DefaultDirectory);

    public static ReferenceData Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new ReferenceDataException(directory, null, $"reference data directory not found (set {DirectoryVariable} to the folder holding {TiersFile}, {DivisionsFile}, {NonWorkingDaysFile} and {AuthoritiesFile})");
        }
        var divisions = LoadDivisions(directory);
        return new ReferenceData(LoadTiers(directory), divisions, LoadCalendar(directory), LoadAuthorities(directory, divisions));
    }

    private static ReferenceDataException Error(string file, CsvRow row, string reason) =>
        new(file, row.LineNumber, reason);

    private static string Required(string file, CsvRow row, int column, string name)
    {
        var value = row.Fields[column];
        return value.Length > 0 ? value : throw Error(file, row, $"{name} is empty");
    }

    private static int PositiveNumber(string file, CsvRow row, int column, string name)
    {
        var value = row.Fields[column];
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw Error(file, row, $"{name} '{value}' is not a positive whole number");
        }
        return number;
    }

    private static DivisionLevel Level(string file, CsvRow row, int column, string name) =>
        row.Fields[column] switch
        {
            "country" => DivisionLevel.Country,
            "province" => DivisionLevel.Province,
            "city" => DivisionLevel.City,
            "county" => DivisionLevel.County,
            var other => throw Error(file, row, $"unknown {name} '{other}' (expected country, province, city or county)"),
        };

    private static string LevelName(DivisionLevel level) => level.ToString().ToLowerInvariant();
}
