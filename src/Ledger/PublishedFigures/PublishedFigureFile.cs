using System.Globalization;

namespace Ledger.PublishedFigures;

/// <summary>
/// published-figures.csv: <c>jurisdiction_code,jurisdiction_name,year,measure,value,unit,basis,source,quote</c>, and an
/// optional <c>bound</c> column (<c>exact</c> | <c>at_least</c>). Without it, a quote that says the figure is a floor
/// ("1.2万余家", "超9.8万家", "逾", "以上", "多家") makes it a lower bound.
/// </summary>
public static class PublishedFigureFile
{
    public const string Name = "published-figures.csv";

    private static readonly string[] Columns = ["jurisdiction_code", "jurisdiction_name", "year", "measure", "value", "unit", "basis", "source", "quote"];

    private static readonly string[] FloorWords = ["余", "超", "逾", "以上", "多家"];

    /// <summary>Every row parsed and checked (<see cref="PublishedFigureDecider.Validate"/>); any bad row: all of them listed, none returned.</summary>
    public static IReadOnlyList<FigureInput> Read(string path, Reference.ReferenceData reference, PublishedMeasures measures) =>
        [.. ReadRows(path, reference, measures).Select(r => r.Figure)];

    /// <summary>As <see cref="Read"/>, each figure with the line it came from (an import names rows by line).</summary>
    public static IReadOnlyList<(int Line, FigureInput Figure)> ReadRows(string path, Reference.ReferenceData reference, PublishedMeasures measures)
    {
        var file = InputFile.Read(path, Columns, ["bound"]);
        var figures = new List<(int, FigureInput)>();
        var errors = new List<InputRowError>();
        foreach (var (line, fields) in file.Rows)
        {
            string F(string column) => file.Field(fields, column);
            InputRowError Error(string column, string reason) => new(file.Name, line, column, reason);
            var rowErrors = new List<InputRowError>();
            if (!int.TryParse(F("year"), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                rowErrors.Add(Error("year", $"'{F("year")}' is not a year"));
            }
            if (!decimal.TryParse(F("value"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                rowErrors.Add(Error("value", $"'{F("value")}' is not a non-negative number"));
            }
            FigureBasis? basis = F("basis") switch
            {
                "paid" => FigureBasis.Paid,
                "determined" => FigureBasis.Determined,
                "paid_cumulative" => FigureBasis.PaidCumulative,
                "stock" => FigureBasis.Stock,
                _ => null,
            };
            if (basis is null)
            {
                rowErrors.Add(Error("basis", $"'{F("basis")}' is not paid, determined, paid_cumulative or stock"));
            }
            bool? lowerBound = F("bound") switch
            {
                "" => FloorWords.Any(F("quote").Contains),
                "exact" => false,
                "at_least" => true,
                _ => null,
            };
            if (lowerBound is null)
            {
                rowErrors.Add(Error("bound", $"'{F("bound")}' is neither exact nor at_least"));
            }
            if (rowErrors.Count == 0)
            {
                var figure = new FigureInput(F("jurisdiction_code"), year, F("measure"), basis!.Value, value, F("unit"), lowerBound!.Value, F("source"), F("quote"));
                try
                {
                    PublishedFigureDecider.Validate(figure, reference, measures);
                    figures.Add((line, figure));
                }
                catch (DomainException e)
                {
                    var field = e.Message.Split(':', 2)[0];
                    rowErrors.Add(new InputRowError(file.Name, line, ColumnOf(field), e.Message.Split(':', 2).Last().Trim()));
                }
            }
            errors.AddRange(rowErrors);
        }
        return errors.Count > 0 ? throw new InputFileException(errors) : figures;
    }

    private static string ColumnOf(string field) => field switch
    {
        "jurisdictionCode" => "jurisdiction_code",
        var other => other,
    };
}
