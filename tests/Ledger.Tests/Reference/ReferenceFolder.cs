using System.Text;
using Ledger.Reference;

namespace Ledger.Tests.Reference;

/// <summary>A temporary folder holding a small, valid set of reference files that a test then spoils.</summary>
internal sealed class ReferenceFolder : IDisposable
{
    public const string Tiers = """
        code,name_zh,name_en,rank,recognising_level,validity_years,prerequisites,valid_from,valid_from_source,valid_to,valid_to_source
        innovative-sme,创新型中小企业,Innovative SME,1,province,3,,2022-06-01,工信部企业〔2022〕63号,,
        provincial-srdi,"省级""专精特新""中小企业",Provincial SRDI SME,2,province,3,innovative-sme,2013-07-16,工信部企业〔2013〕264号,,
        """;

    /// <summary>The columns a tier row needs after its prerequisites: a start and its source, no end.</summary>
    public const string Life = ",2018-11-26,工信厅企业函〔2018〕381号,,";

    public const string Authorities = """
        name,division_code,source
        工业和信息化部,100000,现名
        浙江省经济和信息化厅,330000,现名
        嘉兴市经济和信息化局,330400,现名
        """;

    public const string Divisions = """
        code,name,level,parent_code,ended_on
        100000,全国,country,,
        330000,浙江省,province,100000,
        330400,嘉兴市,city,330000,
        330424,海盐县,county,330400,
        """;

    public ReferenceFolder()
    {
        Path = Directory.CreateTempSubdirectory("ledger-reference-").FullName;
        Write(ReferenceDataLoader.TiersFile, Tiers);
        Write(ReferenceDataLoader.DivisionsFile, Divisions);
        Write(ReferenceDataLoader.NonWorkingDaysFile, NonWorkingDays());
        Write(ReferenceDataLoader.AuthoritiesFile, Authorities);
    }

    public string Path { get; }

    /// <summary>One 元旦 row per required year: enough to load.</summary>
    public static string NonWorkingDays(params int[] skippedYears)
    {
        var text = new StringBuilder("date,kind,name\n");
        for (var year = ReferenceDataLoader.FirstRequiredYear; year <= ReferenceDataLoader.LastRequiredYear; year++)
        {
            if (!skippedYears.Contains(year))
            {
                text.Append(year).Append("-01-01,holiday,元旦\n");
            }
        }
        return text.ToString();
    }

    public void Write(string file, string content) =>
        File.WriteAllText(System.IO.Path.Combine(Path, file), content.EndsWith('\n') ? content : content + "\n");

    public void Append(string file, string line) =>
        File.AppendAllText(System.IO.Path.Combine(Path, file), line + "\n");

    public ReferenceDataException LoadFails() =>
        Should.Throw<ReferenceDataException>(() => ReferenceDataLoader.Load(Path));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
