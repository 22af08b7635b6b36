using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Ledger;

/// <summary>One bad row of an input file: file, line, column and why.</summary>
public sealed record InputRowError(string File, int Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}: {Column}: {Reason}";
}

/// <summary>An input file was refused; every bad row is listed and nothing was written.</summary>
public sealed class InputFileException(IReadOnlyList<InputRowError> errors)
    : DomainException("input.invalid", string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<InputRowError> Errors { get; } = errors;
}

/// <summary>
/// Reads a CSV input file (UTF-8 with or without BOM, header row, comma separated, RFC 4180 quoting): checks the header
/// holds the required columns (optional ones may be missing) and hands each row's fields by column name.
/// </summary>
public sealed class InputFile
{
    private InputFile(string name, IReadOnlyList<string> header, IReadOnlyList<(int Line, string[] Fields)> rows)
    {
        Name = name;
        Header = header;
        Rows = rows;
    }

    public string Name { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    public bool Has(string column) => Header.Contains(column, StringComparer.Ordinal);

    public string Field(string[] fields, string column)
    {
        var index = Header.ToList().IndexOf(column);
        return index < 0 || index >= fields.Length ? "" : fields[index].Trim();
    }

    public static InputFile Read(string path, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new InputFileException([new InputRowError(name, 0, null, $"file not found at {path}")]);
        }
        using var reader = new StreamReader(path, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null });
        try
        {
            if (!csv.Read())
            {
                throw new InputFileException([new InputRowError(name, 1, null, $"empty file: expected the header '{string.Join(',', required)}'")]);
            }
            var header = csv.Record!.Select(h => h.Trim()).ToList();
            var allowed = required.Concat(optional ?? []).ToHashSet(StringComparer.Ordinal);
            var errors = required.Where(c => !header.Contains(c)).Select(c => new InputRowError(name, 1, c, "missing column"))
                .Concat(header.Where(c => !allowed.Contains(c)).Select(c => new InputRowError(name, 1, c, $"unknown column (expected {string.Join(',', required)})")))
                .ToList();
            if (errors.Count > 0)
            {
                throw new InputFileException(errors);
            }
            var rows = new List<(int, string[])>();
            while (csv.Read())
            {
                var fields = csv.Record!;
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (fields.Length != header.Count)
                {
                    errors.Add(new InputRowError(name, csv.RawRow, null, $"{fields.Length} fields, the header has {header.Count}"));
                    continue;
                }
                rows.Add((csv.RawRow, fields));
            }
            return errors.Count > 0 ? throw new InputFileException(errors) : new InputFile(name, header, rows);
        }
        catch (DecoderFallbackException)
        {
            throw new InputFileException([new InputRowError(name, csv.RawRow, null, "not UTF-8 text")]);
        }
    }
}
