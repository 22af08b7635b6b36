using System.Runtime.InteropServices;
using System.Text;

namespace Ledger.Treasury;

/// <summary>
/// One treasury instruction file: UTF-8 with a byte order mark (Excel and WPS then read the Chinese), a header row,
/// one record per disbursement, RFC 4180 (fields with a comma, quote or line break quoted, quotes doubled, CRLF after
/// every record). Appending is idempotent against the file itself: a disbursement the file holds already is not
/// written again, and a last record without its line break (the process was killed mid-write) is cut off first. The
/// caller serializes appends (<see cref="TreasuryInstructionWriter"/> holds the treasury lock).
/// </summary>
public static partial class TreasuryFile
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Appends the instruction's record unless the file holds its disbursement; returns whether it wrote one.</summary>
    public static bool Append(string folder, WriteTreasuryInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var newFolder = !Directory.Exists(folder);
        // Throws IOException when the path is a file, UnauthorizedAccessException when it may not be created.
        Directory.CreateDirectory(folder);
        if (newFolder)
        {
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(folder)));
        }
        var path = Path.Combine(folder, instruction.FileName);
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var content = new byte[file.Length];
        file.ReadExactly(content);
        var (complete, disbursements) = Read(content);
        if (complete < content.Length)
        {
            // A torn record: only complete records stay.
            file.SetLength(complete);
        }
        var written = !disbursements.Contains(instruction.DisbursementId.ToString("D"));
        if (written)
        {
            file.Position = complete;
            if (complete == 0)
            {
                file.Write(Bom);
                file.Write(Record(WriteTreasuryInstruction.Columns));
            }
            file.Write(Record(instruction.Fields()));
        }
        // Also when nothing was written: a record found may be one a killed process wrote but never flushed, and the
        // message is acknowledged once this returns. The folder too, so the file's name survives a crash of the machine.
        file.Flush(flushToDisk: true);
        SyncDirectory(folder);
        return written;
    }

    /// <summary>The disbursement ids of a file's complete records, in order (its header and a torn last record left out).</summary>
    public static IReadOnlyList<string> DisbursementIds(string path) =>
        Read(File.ReadAllBytes(path)).Disbursements;

    /// <summary>One record: each field quoted when it holds a comma, a quote or a line break, then CRLF.</summary>
    public static byte[] Record(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }
            var field = fields[i];
            line.Append(field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field);
        }
        return Encoding.UTF8.GetBytes(line.Append("\r\n").ToString());
    }

    /// <summary>
    /// Where the complete records end (after the last line break outside quotes) and the disbursement id of each record
    /// after the header. Comma, quote, CR and LF are single bytes that never occur inside a multi-byte UTF-8 character,
    /// so the bytes are split as they are and only the id field is decoded.
    /// </summary>
    private static (int Complete, List<string> Disbursements) Read(byte[] content)
    {
        var disbursements = new List<string>();
        var start = content.AsSpan().StartsWith(Bom) ? Bom.Length : 0;
        var complete = 0;
        var record = 0;
        var field = 0;
        var fieldStart = start;
        var quoted = false;
        string? id = null;
        for (var i = start; i < content.Length; i++)
        {
            var b = content[i];
            if (quoted)
            {
                // A doubled quote inside a quoted field is a quote; a single one ends the quoting.
                if (b == '"' && !(i + 1 < content.Length && content[i + 1] == '"'))
                {
                    quoted = false;
                }
                else if (b == '"')
                {
                    i++;
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    quoted = true;
                    break;
                case (byte)',':
                    if (field == WriteTreasuryInstruction.DisbursementColumn)
                    {
                        id = Field(content, fieldStart, i);
                    }
                    field++;
                    fieldStart = i + 1;
                    break;
                case (byte)'\n':
                    if (field == WriteTreasuryInstruction.DisbursementColumn)
                    {
                        id = Field(content, fieldStart, i);
                    }
                    if (record > 0 && id is not null)
                    {
                        disbursements.Add(id);
                    }
                    complete = i + 1;
                    record++;
                    field = 0;
                    fieldStart = i + 1;
                    id = null;
                    break;
            }
        }
        return (complete, disbursements);
    }

    private static string Field(byte[] content, int start, int end)
    {
        var text = Encoding.UTF8.GetString(content, start, end - start).TrimEnd('\r');
        return text.Length >= 2 && text[0] == '"' ? text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }

    /// <summary>fsync of a folder, so that a file created or a folder made in it is on disk (Linux; elsewhere nothing).</summary>
    private static void SyncDirectory(string? folder)
    {
        if (folder is null || !OperatingSystem.IsLinux())
        {
            return;
        }
        var descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"could not open folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"could not flush folder {folder} to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    // O_RDONLY: a folder opens for reading like a file, and fsync on it flushes its entries.
    private const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
