namespace Ledger.Reference;

/// <summary>A reference data file is missing or malformed. The message names the file, the line and what is wrong.</summary>
public sealed class ReferenceDataException : Exception
{
    public ReferenceDataException(string fileName, int? lineNumber, string reason)
        : base(lineNumber is { } line ? $"{fileName} line {line}: {reason}" : $"{fileName}: {reason}")
    {
        FileName = fileName;
        LineNumber = lineNumber;
        Reason = reason;
    }

    public string FileName { get; }

    /// <summary>1-based line in the file (the header is line 1); null when the problem is the file as a whole.</summary>
    public int? LineNumber { get; }

    public string Reason { get; }
}
