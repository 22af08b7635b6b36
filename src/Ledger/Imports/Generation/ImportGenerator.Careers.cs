using System.Globalization;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Imports.Generation;

public sealed partial class ImportGenerator
{
    /// <summary>A recognition or renewal of one enterprise, as recognitions.csv lists it.</summary>
    private readonly record struct Fact(string Tier, AwardTrigger Trigger, LocalDate Date, string DocumentNo);

    /// <summary>When each tier's yearly list usually comes out: from month/day, over so many days.</summary>
    private static readonly Dictionary<string, (int Month, int Day, int Span)> ListWindows = new(StringComparer.Ordinal)
    {
        [InnovativeSme] = (4, 1, 200),
        [Municipal] = (9, 1, 90),
        [Provincial] = (11, 1, 45),
        [LittleGiant] = (6, 15, 60),
        [HiddenChampion] = (12, 1, 20),
        [SingleChampion] = (11, 1, 40),
    };

    /// <summary>
    /// An enterprise's recognitions and renewals, in date order, no two on one day (so stacking never depends on the
    /// order of a day's rows): a first recognition (municipal, provincial, now and then straight to little giant, or a
    /// renewal whose recognition predates the books), upgrades a year or more apart, a provincial hidden champion or an
    /// innovative SME before a provincial recognition now and then, and renewals shortly before the validity ends.
    /// </summary>
    private List<Fact> Career(ref DeterministicRandom rng, County county)
    {
        var code = county.Division.Code;
        var facts = new List<Fact>();
        var year = rng.Between(FirstYear, LastRecognitionYear);
        var path = rng.NextDouble();
        string tier;
        if (path < 0.04 && year <= LastRecognitionYear - 2)
        {
            tier = rng.Chance(0.6) ? Municipal : Provincial;
            var on = WorkingDay(new LocalDate(year, 3, 1).PlusDays(rng.Next(240)));
            facts.Add(new(tier, AwardTrigger.Renewal, on, RenewalDocument(tier, on.Year, code)));
        }
        else
        {
            tier = path < 0.6 ? Municipal : path < 0.93 ? Provincial : LittleGiant;
            Recognise(facts, tier, year, code);
        }
        while (Upgrade(tier) is { } upgrade && rng.Chance(upgrade.Chance))
        {
            year += rng.Between(1, upgrade.MaxGap);
            if (year > LastRecognitionYear || Recognise(facts, upgrade.Tier, year, code) is null)
            {
                break;
            }
            tier = upgrade.Tier;
        }

        if (facts.FirstOrDefault(f => f.Tier == Provincial) is { Tier: not null } provincial)
        {
            if (rng.Chance(0.07))
            {
                var champion = provincial.Date.Year + rng.Between(0, 2);
                if (Batch(HiddenChampion, champion, code).Date <= provincial.Date)
                {
                    champion++;
                }
                if (champion <= LastRecognitionYear)
                {
                    Recognise(facts, HiddenChampion, champion, code);
                }
            }
            // Since 2022 a provincial SRDI needs an innovative SME first; books often lack it (the import records an override).
            if (provincial.Trigger == AwardTrigger.Recognition && _reference.FindTier(InnovativeSme)!.ExistsOn(provincial.Date) && rng.Chance(0.6))
            {
                foreach (var earlier in new[] { provincial.Date.Year, provincial.Date.Year - 1 })
                {
                    if (Batch(InnovativeSme, earlier, code) is var (on, _) && on < provincial.Date && _reference.FindTier(InnovativeSme)!.ExistsOn(on))
                    {
                        Recognise(facts, InnovativeSme, earlier, code);
                        break;
                    }
                }
            }
        }
        else if (rng.Chance(0.06) && Math.Max(facts[0].Date.Year, _reference.FindTier(InnovativeSme)!.ValidFrom.Year) is var from && from <= LastRecognitionYear)
        {
            Recognise(facts, InnovativeSme, rng.Between(from, LastRecognitionYear), code);
        }

        foreach (var designation in facts.Where(f => f.Tier != InnovativeSme).ToList())
        {
            Renew(ref rng, facts, designation, code);
        }
        return Ordered(facts);
    }

    private static (string Tier, double Chance, int MaxGap)? Upgrade(string tier) => tier switch
    {
        Municipal => (Provincial, 0.35, 2),
        Provincial => (LittleGiant, 0.25, 3),
        LittleGiant => (SingleChampion, 0.03, 3),
        _ => null,
    };

    /// <summary>Adds the recognition of <paramref name="tier"/> in the list of <paramref name="year"/>; null when the tier did not exist on that day.</summary>
    private LocalDate? Recognise(List<Fact> facts, string tier, int year, string countyCode)
    {
        var (on, document) = Batch(tier, year, countyCode);
        if (!_reference.FindTier(tier)!.ExistsOn(on))
        {
            return null;
        }
        facts.Add(new(tier, AwardTrigger.Recognition, on, document));
        return on;
    }

    /// <summary>
    /// Passed renewals of one designation, each a few weeks before its validity ends, while they fall before the
    /// horizon; an enterprise that has since risen to a higher tier renews the lower one less often.
    /// </summary>
    private void Renew(ref DeterministicRandom rng, List<Fact> facts, Fact designation, string countyCode)
    {
        var years = _reference.FindTier(designation.Tier)!.ValidityYears;
        var rank = _reference.FindTier(designation.Tier)!.Rank;
        var validTo = designation.Date.PlusYears(years).PlusDays(-1);
        while (true)
        {
            var due = validTo.PlusDays(-rng.Between(5, 50));
            if (due > Horizon)
            {
                return;
            }
            var on = PreviousWorkingDay(due);
            var risen = facts.Any(f => f.Date < on && _reference.FindTier(f.Tier)!.Rank > rank);
            if (!rng.Chance(risen ? 0.15 : 0.55))
            {
                return;
            }
            facts.Add(new(designation.Tier, AwardTrigger.Renewal, on, RenewalDocument(designation.Tier, on.Year, countyCode)));
            validTo = validTo.PlusYears(years);
        }
    }

    /// <summary>By date; a fact that would share a day with an earlier one moves to the next working day.</summary>
    private List<Fact> Ordered(List<Fact> facts)
    {
        var ordered = facts.OrderBy(f => f.Date).ThenBy(f => _reference.FindTier(f.Tier)!.Rank).ThenBy(f => f.Trigger).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Date <= ordered[i - 1].Date)
            {
                ordered[i] = ordered[i] with { Date = _calendar.NextWorkingDay(ordered[i - 1].Date)!.Value };
            }
        }
        ordered.RemoveAll(f => f.Date > Horizon);
        return ordered;
    }

    /// <summary>
    /// The day a tier's list of a year comes out from the government recognising it for the county, and its document:
    /// one per tier, year and government, so enterprises of one city share their municipal list.
    /// </summary>
    private (LocalDate Date, string DocumentNo) Batch(string tier, int year, string countyCode)
    {
        var authority = _reference.RecognisingDivision(_reference.FindTier(tier)!, countyCode)!;
        var key = string.Create(CultureInfo.InvariantCulture, $"{tier}:{year}:{authority.Code}");
        if (!_batches.TryGetValue(key, out var batch))
        {
            var rng = DeterministicRandom.For(_seed, key);
            var (month, day, span) = ListWindows[tier];
            // A tier created during the year has its first list after it exists.
            var validFrom = _reference.FindTier(tier)!.ValidFrom;
            var from = validFrom.Year == year ? LocalDate.Max(new LocalDate(year, month, day), validFrom) : new LocalDate(year, month, day);
            batch = _batches[key] = (WorkingDay(from.PlusDays(rng.Next(span))), Document(authority.Code, authority.Name, year, rng.Between(20, 400)));
        }
        return batch;
    }

    private string RenewalDocument(string tier, int year, string countyCode)
    {
        var authority = _reference.RecognisingDivision(_reference.FindTier(tier)!, countyCode)!;
        var rng = DeterministicRandom.For(_seed, string.Create(CultureInfo.InvariantCulture, $"renewal:{tier}:{year}:{authority.Code}"));
        return Document(authority.Code, authority.Name, year, rng.Between(20, 400));
    }

    private static string Document(string authorityCode, string authorityName, int year, int number) =>
        authorityCode == "100000"
            ? string.Create(CultureInfo.InvariantCulture, $"工信厅企业函〔{year}〕{number}号")
            : string.Create(CultureInfo.InvariantCulture, $"{authorityName}工信函〔{year}〕{number}号");

    private LocalDate WorkingDay(LocalDate date) => _calendar.IsWorkingDay(date) ? date : _calendar.NextWorkingDay(date)!.Value;

    private LocalDate PreviousWorkingDay(LocalDate date) => _calendar.IsWorkingDay(date) ? date : _calendar.PreviousWorkingDay(date)!.Value;
}
