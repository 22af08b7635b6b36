using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.EventStore.Migrations;

/// <summary>One numbered SQL file of <c>migrations/</c>.</summary>
public sealed partial record Migration(int Version, string FileName, string Sql)
{
    /// <summary>SHA-256 of the file's text (line endings normalised), hex.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Parses <c>NNNN_name.sql</c>; anything else is refused, naming the file.</summary>
    public static Migration FromFile(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new MigrationException($"migration file '{fileName}' is not named NNNN_name.sql (four digits, an underscore, lower-case words)");
        }
        return new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), fileName, sql);
    }

    /// <summary>The migrations compiled into this assembly from the repository's <c>migrations/</c> folder, in order.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(FromFile(name["migrations/".Length..], reader.ReadToEnd()));
        }
        return Ordered(migrations);
    }

    /// <summary>Sorts by version and refuses two files with one number.</summary>
    public static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new MigrationException($"migrations '{ordered[i - 1].FileName}' and '{ordered[i].FileName}' share the number {ordered[i].Version}");
            }
        }
        return ordered;
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();
}

/// <summary>A migration cannot be applied: misnamed, edited after it was applied, or failing.</summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception with a message that names the file.</summary>
    public MigrationException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the database error.</summary>
    public MigrationException(string message, Exception inner) : base(message, inner) { }
}
