using Ledger.Reference;

namespace Ledger.Tests.Reference;

// Both tests touch LoadDefault and the process-wide environment variable, so they share one class:
// xunit runs the tests of a class one after another, and no other test calls LoadDefault.
public class ReferenceDataDefaultLocationTests
{
    [Fact]
    public void LoadDefault_reads_the_reference_folder_beside_the_binaries()
    {
        var data = ReferenceDataLoader.LoadDefault();

        data.FindDivision("330424").ShouldNotBeNull().Name.ShouldBe("海盐县");
    }

    [Fact]
    public void LoadDefault_reads_the_folder_named_by_LEDGER_REFERENCE_DIR()
    {
        using var folder = new ReferenceFolder();
        folder.Write(ReferenceDataLoader.DivisionsFile, """
            code,name,level,parent_code,ended_on
            100000,全国,country,,
            330000,测试省,province,100000,
            """);
        folder.Write(ReferenceDataLoader.AuthoritiesFile, """
            name,division_code,source
            测试省经济和信息化厅,330000,现名
            """);
        Environment.SetEnvironmentVariable(ReferenceDataLoader.DirectoryVariable, folder.Path);
        try
        {
            var data = ReferenceDataLoader.LoadDefault();

            data.FindDivision("330000").ShouldNotBeNull().Name.ShouldBe("测试省");
        }
        finally
        {
            Environment.SetEnvironmentVariable(ReferenceDataLoader.DirectoryVariable, null);
        }
    }
}
