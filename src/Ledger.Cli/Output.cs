using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Ledger.Cli;

/// <summary>
/// How reading commands print: a table for people, one JSON document (and nothing else) on stdout, or CSV (UTF-8 with
/// a byte order mark, RFC 4180 quoting) for spreadsheets.
/// </summary>
internal static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Rows of one table: a header and the cells of each row, as text.</summary>
    public sealed record Grid(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string?>> Rows, string? Title = null, string? Caption = null);

    public static async Task WriteAsync(TextWriter output, OutputFormat format, object document, Func<IReadOnlyList<Grid>> grids)
    {
        switch (format)
        {
            case OutputFormat.Json:
                await output.WriteLineAsync(JsonSerializer.Serialize(document, document.GetType(), Json));
                break;
            case OutputFormat.Csv:
                await output.WriteAsync('\uFEFF');
                var first = true;
                foreach (var grid in grids())
                {
                    if (!first)
                    {
                        await output.WriteLineAsync();
                    }
                    first = false;
                    await output.WriteLineAsync(string.Join(',', grid.Header.Select(Quote)));
                    foreach (var row in grid.Rows)
                    {
                        await output.WriteLineAsync(string.Join(',', row.Select(Quote)));
                    }
                }
                break;
            default:
                var console = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Out = new AnsiConsoleOutput(output),
                    Ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
                    ColorSystem = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                });
                if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
                {
                    console.Profile.Width = 240;
                }
                foreach (var grid in grids())
                {
                    var table = new Table().Border(TableBorder.Simple);
                    if (grid.Title is { } title)
                    {
                        table.Title(Markup.Escape(title));
                    }
                    if (grid.Caption is { } caption)
                    {
                        table.Caption(Markup.Escape(caption));
                    }
                    foreach (var column in grid.Header)
                    {
                        var tableColumn = new TableColumn(Markup.Escape(column));
                        if (column.EndsWith("yuan", StringComparison.Ordinal) || column is "enterprises" or "awards" or "position" or "seq")
                        {
                            tableColumn.RightAligned();
                        }
                        table.AddColumn(tableColumn);
                    }
                    foreach (var row in grid.Rows)
                    {
                        table.AddRow([.. row.Select(cell => new Text(cell ?? ""))]);
                    }
                    console.Write(table);
                }
                break;
        }
    }

    public static string Quote(string? field)
    {
        if (field is null)
        {
            return "";
        }
        return field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
