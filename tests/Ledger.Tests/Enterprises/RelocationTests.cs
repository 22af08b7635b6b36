using Ledger.Enterprises;
using Ledger.Tests.Reference;
using Ledger.Tests.Support;
using NodaTime;
using static Ledger.Tests.Support.TestReference;

namespace Ledger.Tests.Enterprises;

/// <summary>
/// A move (enterprise-relocated, from the business registry, with the date it took effect) against a correction
/// (enterprise-details-corrected: the record was wrong): facts dated on or after a move belong to the new county,
/// earlier ones stay; nothing already recorded moves.
/// </summary>
public class RelocationTests
{
    private static readonly Guid Id = new("e0000000-0000-4000-8000-00000000000e");
    private static readonly Instant Now = Instant.FromUtc(2024, 3, 1, 2, 0);
    private const string Registry = "锡山区市场监管局 变更登记（2023）第0815号";

    private static EnterpriseRegistered Registered(string county = Xishan) =>
        new(Id, "91320205MA1MXXXX2B", "锡山智造有限公司", county, "制造业", null, "clerk", Now);

    private static EnterpriseRelocated Moved(string from, string to, LocalDate on, IReadOnlyList<RecordedFact>? kept = null, RelocationOverride? accepted = null) =>
        new(Id, from, to, on, Registry, kept ?? [], accepted, "clerk", Now);

    private static RelocateEnterprise Relocate(string to, LocalDate on, RelocationOverride? accepted = null, string registry = Registry) =>
        new(Id, to, on, registry, accepted, "clerk", Now);

    private static IReadOnlyList<object> Decide(History h, RelocateEnterprise command, params RecordedFact[] recorded) =>
        EnterpriseDecider.Decide(command, h.Enterprise(Id), recorded, Data);

    [Fact]
    public void A_move_is_recorded_with_the_county_it_left_and_the_day_it_took_effect() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2023, 9, 1))))
            .Then(Moved(Xishan, Huishan, D(2023, 9, 1)));

    [Fact]
    public void Facts_dated_on_or_after_a_move_belong_to_the_new_county_and_earlier_ones_stay()
    {
        var enterprise = new History([Registered(), Moved(Xishan, Huishan, D(2023, 9, 1))]).Enterprise(Id);

        enterprise.CountyCode.ShouldBe(Huishan);
        enterprise.CountyOn(D(2019, 1, 1)).ShouldBe(Xishan);
        enterprise.CountyOn(D(2023, 8, 31)).ShouldBe(Xishan);
        enterprise.CountyOn(D(2023, 9, 1)).ShouldBe(Huishan);
        enterprise.CountyOn(D(2025, 5, 20)).ShouldBe(Huishan);
    }

    [Fact]
    public void A_correction_of_the_county_fixes_where_it_is_now_and_leaves_earlier_moves_alone()
    {
        var corrected = new EnterpriseDetailsCorrected(Id, [new FieldCorrection(EnterpriseField.County, Huishan, Wuzhong)], "迁入地录入错误", "clerk", Now);

        var enterprise = new History([Registered(), Moved(Xishan, Huishan, D(2023, 9, 1)), corrected]).Enterprise(Id);

        enterprise.CountyCode.ShouldBe(Wuzhong);
        enterprise.CountyOn(D(2023, 8, 31)).ShouldBe(Xishan);
        enterprise.CountyOn(D(2023, 9, 1)).ShouldBe(Wuzhong);
    }

    [Fact]
    public void A_correction_without_any_move_says_the_enterprise_was_always_in_the_corrected_county()
    {
        var corrected = new EnterpriseDetailsCorrected(Id, [new FieldCorrection(EnterpriseField.County, Xishan, Huishan)], "登记区县录入错误", "clerk", Now);

        var enterprise = new History([Registered(), corrected]).Enterprise(Id);

        enterprise.CountyOn(D(2015, 1, 1)).ShouldBe(Huishan);
        enterprise.CountyHistory.ShouldBeEmpty();
    }

    [Fact]
    public void Moves_count_in_the_order_they_took_effect() =>
        Spec.Given(Registered(), Moved(Xishan, Huishan, D(2023, 9, 1)))
            .When(h => Decide(h, Relocate(Wuzhong, D(2024, 1, 15))))
            .Then(Moved(Huishan, Wuzhong, D(2024, 1, 15)));

    [Fact]
    public void A_move_effective_before_the_last_recorded_one_is_refused() =>
        Spec.Given(Registered(), Moved(Xishan, Huishan, D(2023, 9, 1)))
            .When(h => Decide(h, Relocate(Wuzhong, D(2023, 9, 1))))
            .ThenFails("enterprise.relocation-order")
            .Message.ShouldContain("2023-09-01 is not after 2023-09-01, when the last recorded move of 锡山智造有限公司");

    [Fact]
    public void A_move_to_the_county_it_is_in_is_refused_and_points_at_a_correction() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Xishan, D(2023, 9, 1))))
            .ThenFails("enterprise.relocation-same-county")
            .Message.ShouldContain("is already in 320205 锡山区; a move goes to another county. If the county on record is wrong, correct the enterprise's details instead.");

    [Fact]
    public void A_move_to_a_city_is_refused() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate("320200", D(2023, 9, 1))))
            .ThenFails("division.not-county");

    [Fact]
    public void A_move_to_a_county_that_had_ended_by_the_day_it_took_effect_is_refused() =>
        Spec.Given(Registered())
            .When(h => EnterpriseDecider.Decide(Relocate(EndedDivisions.Gangzha.Code, D(2020, 7, 17)), h.Enterprise(Id), [], EndedDivisions.Shipped))
            .ThenFails("division.ended")
            .Message.ShouldStartWith("toCountyCode: 320611 港闸区 ended on 2020-07-17 (divisions.csv), on or before the move's effective date 2020-07-17");

    [Fact]
    public void A_move_recorded_late_to_a_county_that_ended_after_it_took_effect_is_recorded() =>
        Spec.Given(Registered())
            .When(h => EnterpriseDecider.Decide(Relocate(EndedDivisions.Gangzha.Code, D(2019, 5, 1)), h.Enterprise(Id), [], EndedDivisions.Shipped))
            .Then(Moved(Xishan, EndedDivisions.Gangzha.Code, D(2019, 5, 1)));

    [Fact]
    public void A_move_that_has_not_taken_effect_yet_is_refused() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2024, 3, 2))))
            .ThenFails("enterprise.relocation-in-future")
            .Message.ShouldContain("2024-03-02 is after today (2024-03-01)");

    [Fact]
    public void A_move_needs_the_registry_record_it_comes_from() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2023, 9, 1), registry: " ")))
            .ThenFails("enterprise.registry-reference-required")
            .Message.ShouldContain("registryReference");

    [Fact]
    public void Facts_dated_before_the_move_do_not_stand_in_its_way() =>
        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2023, 9, 1)), new RecordedFact("recognition", Guid.Empty, D(2022, 6, 1), Xishan)))
            .Then(Moved(Xishan, Huishan, D(2023, 9, 1)));

    [Fact]
    public void A_move_dated_before_facts_recorded_in_the_old_county_is_refused_naming_them()
    {
        var renewal = new RecordedFact("renewal", new Guid("d0000000-0000-4000-8000-0000000000d1"), D(2023, 10, 8), Xishan);

        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2023, 9, 1)), renewal))
            .ThenFails("enterprise.relocation-after-recorded-facts")
            .Message.ShouldContain("the ledger already holds 1 fact(s) of 锡山智造有限公司 (91320205MA1MXXXX2B) dated on or after 2023-09-01 and recorded in the previous county: renewal of 2023-10-08 in 320205 (stream d0000000-0000-4000-8000-0000000000d1). Recorded facts never move to another county");
    }

    [Fact]
    public void With_an_override_the_move_is_recorded_and_lists_the_facts_that_stay_in_the_old_county()
    {
        var renewal = new RecordedFact("renewal", new Guid("d0000000-0000-4000-8000-0000000000d1"), D(2023, 10, 8), Xishan);
        var accepted = new RelocationOverride("财政局局长李某", "变更登记晚于复审录入，复审奖励已由锡山区核定");

        Spec.Given(Registered())
            .When(h => Decide(h, Relocate(Huishan, D(2023, 9, 1), accepted), renewal))
            .Then(Moved(Xishan, Huishan, D(2023, 9, 1), [renewal], accepted));
    }
}
