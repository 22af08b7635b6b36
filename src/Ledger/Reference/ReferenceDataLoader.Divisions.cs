using NodaTime.Text;

namespace Ledger.Reference;

public static partial class ReferenceDataLoader
{
    private static readonly string[] DivisionColumns = ["code", "name", "level", "parent_code", "ended_on"];

    private static List<Division> LoadDivisions(string directory)
    {
        var rows = CsvFile.Read(directory, DivisionsFile, DivisionColumns);
        var divisions = new Dictionary<string, (Division Division, CsvRow Row)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var code = Required(DivisionsFile, row, 0, "code");
            if (!DivisionCode.IsWellFormed(code))
            {
                throw Error(DivisionsFile, row, $"division code '{code}' is not 6 digits");
            }
            if (divisions.TryGetValue(code, out var first))
            {
                throw Error(DivisionsFile, row, $"duplicate division code '{code}' (first on line {first.Row.LineNumber})");
            }
            var parent = row.Fields[3];
            if (parent.Length > 0 && !DivisionCode.IsWellFormed(parent))
            {
                throw Error(DivisionsFile, row, $"parent_code '{parent}' is not 6 digits");
            }
            var division = new Division(
                code,
                Required(DivisionsFile, row, 1, "name"),
                Level(DivisionsFile, row, 2, "level"),
                parent.Length > 0 ? parent : null,
                IsoDate(DivisionsFile, row, 4, "ended_on"));
            divisions.Add(code, (division, row));
        }

        // Parents are checked after reading every row, so the file need not list a parent before its children.
        foreach (var (division, row) in divisions.Values)
        {
            if (division.ParentCode is null)
            {
                if (division.Level != DivisionLevel.Country)
                {
                    throw Error(DivisionsFile, row, $"division {division.Code} ({LevelName(division.Level)}) has no parent_code; only the country row has none");
                }
                continue;
            }
            if (!divisions.TryGetValue(division.ParentCode, out var parent))
            {
                throw Error(DivisionsFile, row, $"parent_code {division.ParentCode} of division {division.Code} is not in the file");
            }
            // A level may be skipped (districts of Beijing, and counties a province administers directly such as 仙桃市,
            // sit under the province-level row) but never reversed.
            if (division.Level <= parent.Division.Level)
            {
                throw Error(DivisionsFile, row, $"division {division.Code} is {LevelName(division.Level)}-level and cannot sit under {parent.Division.Code}, which is {LevelName(parent.Division.Level)}-level");
            }
            // What sat under a division that ended moved elsewhere (under a new code) or ended with it.
            if (parent.Division.EndedOn is { } parentEnded && !division.HasEndedBy(parentEnded))
            {
                throw Error(DivisionsFile, row, $"division {division.Code} {(division.EndedOn is { } ended ? $"ended on {LocalDatePattern.Iso.Format(ended)}" : "is current")} but its parent {parent.Division.Code} ended on {LocalDatePattern.Iso.Format(parentEnded)}; a division ends no later than its parent");
            }
        }
        return divisions.Values.Select(d => d.Division).ToList();
    }
}
