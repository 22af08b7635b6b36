using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Ledger.Testing;
using Ledger.Tests.Reference;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.Tests.Codegen;

/// <summary>
/// The ledger runs Wolverine with <c>TypeLoadMode.Static</c>: the handler code committed under
/// src/Ledger/Internal/Generated, never compiled at start. This test generates that code afresh and fails when the
/// committed files differ. After changing a handler or a command, refresh them with
/// <c>LEDGER_CODEGEN=write dotnet test tests/Ledger.Tests --filter GeneratedHandlerCodeTests</c> and commit the result.
/// </summary>
public sealed class GeneratedHandlerCodeTests
{
    [Fact]
    public async Task The_committed_handler_code_is_what_Wolverine_generates_from_the_handlers_today()
    {
        var committed = Path.Combine(RepositoryRoot(), "src", "Ledger", LedgerApp.GeneratedCodeFolder);
        var fresh = Path.Combine(Path.GetTempPath(), $"ledger-codegen-{Guid.NewGuid():N}");
        try
        {
            await GenerateAsync(fresh);
            if (Environment.GetEnvironmentVariable("LEDGER_CODEGEN") == "write")
            {
                if (Directory.Exists(committed))
                {
                    Directory.Delete(committed, recursive: true);
                }
                CopyTree(fresh, committed);
            }

            var expected = Files(fresh);
            expected.Keys.ShouldNotBeEmpty();
            var actual = Files(committed);
            actual.Keys.Order().ShouldBe(expected.Keys.Order(), "generated files added or removed: refresh with LEDGER_CODEGEN=write (see this test's summary)");
            foreach (var (file, code) in expected)
            {
                actual[file].ShouldBe(code, $"{file} is stale: refresh with LEDGER_CODEGEN=write (see this test's summary)");
            }
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }
    }

    private static async Task GenerateAsync(string folder)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        using var host = LedgerApp.Build(database, ShippedReferenceData.Instance, new LedgerAppOptions
        {
            TypeLoadMode = TypeLoadMode.Dynamic,
            ConfigureWolverine = options =>
            {
                options.UseRuntimeCompilation();
                options.CodeGeneration.GeneratedCodeOutputPath = folder;
            },
        });
        var collections = host.Services.GetServices<ICodeFileCollection>().ToArray();
        new DynamicCodeBuilder(host.Services, collections)
        {
            ServiceVariableSource = host.Services.GetRequiredService<IServiceVariableSource>(),
        }.WriteGeneratedCode(_ => { });
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Ledger.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}
