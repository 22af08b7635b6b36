using System.Text;

namespace Ledger.Reference;

internal sealed record CsvRow(int LineNumber, IReadOnlyList<string> Fields);

/// <summary>
/// Reads the small RFC 4180 subset the reference files use: one record per line, fields optionally
/// quoted with "" as an escaped quote. Quoted line breaks are not supported; no reference value needs one.
/// </summary>
internal static class CsvFile
{
    public static IReadOnlyList<CsvRow> Read(string directory, string fileName, IReadOnlyList<string> header)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new ReferenceDataException(fileName, null, $"file not found at {path}");
        }

        // StreamReader drops a UTF-8 byte order mark, which Excel and WPS add when saving CSV.
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0 || lines[0].Length == 0)
        {
            throw new ReferenceDataException(fileName, 1, $"missing header line '{string.Join(',', header)}'");
        }

        var headerFields = Split(fileName, 1, lines[0]);
        if (!headerFields.SequenceEqual(header, StringComparer.Ordinal))
        {
            throw new ReferenceDataException(fileName, 1, $"header is '{lines[0]}', expected '{string.Join(',', header)}'");
        }

        var rows = new List<CsvRow>(lines.Length);
        for (var i = 1; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            var fields = Split(fileName, lineNumber, lines[i]);
            if (fields.Count != header.Count)
            {
                throw new ReferenceDataException(
                    fileName, lineNumber, $"expected {header.Count} columns ({string.Join(',', header)}), found {fields.Count}");
            }
            rows.Add(new CsvRow(lineNumber, fields));
        }
        return rows;
    }

    private static List<string> Split(string fileName, int lineNumber, string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new ReferenceDataException(fileName, lineNumber, "a quoted field is not closed");
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i]);
                    i++;
                }
                if (i < line.Length && line[i] != ',')
                {
                    throw new ReferenceDataException(fileName, lineNumber, $"unexpected character '{line[i]}' after a quoted field");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i]);
                    i++;
                }
            }

            fields.Add(field.ToString().Trim());
            field.Clear();
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // the comma
        }
    }
}
