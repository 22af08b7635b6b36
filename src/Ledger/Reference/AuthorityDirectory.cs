namespace Ledger.Reference;

/// <summary>One usual name of a recognising department (as county spreadsheets print it) and the division it belongs to.</summary>
/// <param name="Name">The name as listed in authorities.csv.</param>
/// <param name="DivisionCode">The GB/T 2260 code of the government the department belongs to (100000 for MIIT).</param>
/// <param name="Source">Why the name stands for that department: its current name, a former one, an abbreviation.</param>
public sealed record AuthorityName(string Name, string DivisionCode, string Source);

/// <summary>The codes found for a column of printed names, row by row, and the rows (0-based) whose name maps to none.</summary>
public sealed record AuthorityMapping(IReadOnlyList<AuthorityName?> Rows, IReadOnlyList<int> UnmappedRows);

/// <summary>
/// The usual names of the provincial and city departments (and MIIT) that recognise tiers, from authorities.csv: data,
/// not code, so a renamed department or a spelling a county uses is one more line in the file. Names compare after
/// removing white space (spreadsheets carry stray and full-width spaces); nothing else is guessed: a name the file does
/// not list maps to nothing, and the import reports the row.
/// </summary>
public sealed class AuthorityDirectory
{
    private readonly Dictionary<string, AuthorityName> _byName;

    public AuthorityDirectory(IEnumerable<AuthorityName> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _byName = new Dictionary<string, AuthorityName>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!_byName.TryAdd(Key(name.Name), name))
            {
                throw new ArgumentException($"authority name '{name.Name}' is listed twice", nameof(names));
            }
        }
    }

    /// <summary>No names: every lookup maps to nothing.</summary>
    public static AuthorityDirectory Empty { get; } = new([]);

    public IReadOnlyCollection<AuthorityName> Names => _byName.Values;

    /// <summary>The department a printed name stands for, or null when authorities.csv does not list it.</summary>
    public AuthorityName? Find(string? printedName) =>
        printedName is null ? null : _byName.GetValueOrDefault(Key(printedName));

    /// <summary>Maps a column of printed names; <see cref="AuthorityMapping.UnmappedRows"/> are the rows to report.</summary>
    public AuthorityMapping Map(IReadOnlyList<string?> printedNames)
    {
        ArgumentNullException.ThrowIfNull(printedNames);
        var rows = printedNames.Select(Find).ToList();
        return new AuthorityMapping(rows, [.. Enumerable.Range(0, rows.Count).Where(i => rows[i] is null)]);
    }

    /// <summary>The form names are compared in: without any white space (ASCII, full-width or no-break).</summary>
    public static string Key(string name) => string.Concat(name.Where(c => !char.IsWhiteSpace(c)));
}
