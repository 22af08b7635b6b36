namespace Ledger.Reference;

public static partial class ReferenceDataLoader
{
    private static readonly string[] AuthorityColumns = ["name", "division_code", "source"];

    private static AuthorityDirectory LoadAuthorities(string directory, IReadOnlyCollection<Division> divisions)
    {
        var known = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        var rows = CsvFile.Read(directory, AuthoritiesFile, AuthorityColumns);
        var names = new Dictionary<string, (AuthorityName Name, CsvRow Row)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var name = Required(AuthoritiesFile, row, 0, "name");
            var code = Required(AuthoritiesFile, row, 1, "division_code");
            if (!DivisionCode.IsWellFormed(code))
            {
                throw Error(AuthoritiesFile, row, $"division_code '{code}' is not 6 digits");
            }
            if (!known.TryGetValue(code, out var division))
            {
                throw Error(AuthoritiesFile, row, $"division_code {code} of '{name}' is not in {DivisionsFile}");
            }
            // Tiers are recognised by MIIT, a province or a city (tiers.csv's recognising_level); a county bureau recognises none.
            if (division.Level == DivisionLevel.County)
            {
                throw Error(AuthoritiesFile, row, $"division_code {code} of '{name}' is {division.Name}, a county-level division; recognising authorities belong to the nation, a province or a city");
            }
            var key = AuthorityDirectory.Key(name);
            if (names.TryGetValue(key, out var first))
            {
                throw Error(AuthoritiesFile, row, $"duplicate authority name '{name}' (first on line {first.Row.LineNumber})");
            }
            names.Add(key, (new AuthorityName(name, code, Required(AuthoritiesFile, row, 2, "source")), row));
        }
        return new AuthorityDirectory(names.Values.Select(n => n.Name));
    }
}
