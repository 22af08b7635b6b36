using System.CommandLine;
using System.Globalization;
using Ledger.Imports.Generation;
using Ledger.PublishedFigures;
using Ledger.Reference;

namespace Ledger.Cli;

/// <summary><c>ledger generate</c>: import files for trials and benchmarks, or the demo dataset; needs no database.</summary>
internal static class GenerateCommand
{
    private const string RandomProfile = "random";
    private const string DemoProfile = "demo";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var enterprises = new Option<int?>("--enterprises") { Description = "How many enterprises (N > 0), spread over every county of the reference data." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the generator (default 1): the same N and seed give byte-identical files." };
        var directory = new Option<string>("--out") { Description = "Folder to write the import files into (created if missing).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the import files the folder already holds (all of them, so none of an earlier run is left to be imported)." };
        var profile = new Option<string>("--profile")
        {
            Description = "random (default): N generated enterprises; demo: the demo dataset of Xishan and Jiaxing (takes no --enterprises or --seed).",
            DefaultValueFactory = _ => RandomProfile,
        };
        profile.AcceptOnlyFromAmong(RandomProfile, DemoProfile);
        var command = new Command("generate",
            "Write import files (docs/import-format.md) of fictional enterprises with recognitions, renewals, upgrades, lowered awards, payments, returns and clawbacks, with budgets covering every payment. Deterministic. Needs no database.");
        command.Options.Add(enterprises);
        command.Options.Add(seed);
        command.Options.Add(directory);
        command.Options.Add(force);
        command.Options.Add(profile);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var folder = parsed.GetValue(directory)!;
            var demo = parsed.GetValue(profile) == DemoProfile;
            var count = parsed.GetValue(enterprises);
            var seedValue = parsed.GetValue(seed);
            if (demo && (count is not null || seedValue is not null))
            {
                throw new DomainException("generate.options", "--profile demo: the demo dataset is fixed; leave out --enterprises and --seed.");
            }
            if (!demo && count is not > 0)
            {
                throw new DomainException("generate.options", count is null
                    ? "--enterprises: give how many enterprises to generate (N > 0)."
                    : $"--enterprises: {count} is not a number of enterprises; give N > 0.");
            }
            CheckFolder(folder, parsed.GetValue(force));

            var reference = ReferenceDataLoader.LoadDefault();
            GenerationResult result;
            if (demo)
            {
                result = DemoDataset.Write(reference, PublishedMeasures.LoadDefault(reference), folder);
            }
            else
            {
                var generator = new ImportGenerator(reference, seedValue ?? 1);
                result = await Progress.RunAsync(error, "generate", p => Task.Run(() => generator.Write(folder, count!.Value, p), cancellationToken));
            }
            await output.WriteLineAsync(demo
                ? $"Wrote the demo dataset to {folder}:"
                : string.Create(CultureInfo.InvariantCulture, $"Wrote import files for {count:N0} enterprises (seed {seedValue ?? 1}) to {folder}:"));
            foreach (var (file, rows) in result.Rows.OrderBy(r => ImportFileFormat.AllFiles.ToList().IndexOf(r.Key)))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {file,-22} {rows,12:N0} rows"));
            }
            await output.WriteLineAsync($"Import them with: ledger import {folder}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Refuses a file where the folder should be, and a folder already holding import files unless <c>--force</c>.</summary>
    private static void CheckFolder(string folder, bool force)
    {
        if (File.Exists(folder))
        {
            throw new DomainException("generate.out", $"--out: {folder} is a file; give a folder.");
        }
        var present = Directory.Exists(folder)
            ? ImportFileFormat.AllFiles.Where(f => File.Exists(Path.Combine(folder, f))).ToList()
            : [];
        if (present.Count > 0 && !force)
        {
            throw new DomainException("generate.out",
                $"--out: {folder} already holds import files ({string.Join(", ", present)}); give --force to replace them, or an empty folder.");
        }
        // Replaced means gone: an import file of an earlier run that this one does not write would be imported with it.
        foreach (var file in present)
        {
            File.Delete(Path.Combine(folder, file));
        }
    }
}
