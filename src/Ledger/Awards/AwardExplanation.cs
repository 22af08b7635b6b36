using System.Text;
using Ledger.Policies;
using Ledger.Reference;
using NodaTime;

namespace Ledger.Awards;

/// <summary>The Chinese sentence on an award that lets a clerk redo the calculation by hand.</summary>
internal static class AwardExplanation
{
    public static string For(
        PolicyVersion version,
        AwardRule rule,
        AwardTriggerFact fact,
        IReadOnlyList<StackingOffset> offsets,
        Money amount,
        LocalDate determinationDate,
        ReferenceData reference)
    {
        var terms = version.Terms;
        var text = new StringBuilder();
        text.Append(terms.Title).Append('（').Append(terms.DocumentNumber);
        if (version.Number > 1)
        {
            text.Append("，第").Append(version.Number).Append("版");
        }
        text.Append("）：");

        text.Append(TierName(rule.Tier, reference))
            .Append(rule.Trigger == AwardTrigger.Recognition ? "认定奖励" : "复审通过奖励")
            .Append(rule.Kind == AmountKind.UpTo ? "最高" : "")
            .Append(rule.Amount.ToChinese());
        if (offsets.Count > 0)
        {
            text.Append("，已获")
                .AppendJoin("、", offsets.Select(o => $"{TierName(o.Tier, reference)}认定奖励{o.Amount.ToChinese()}"))
                .Append("，按就高不重复补足差额")
                .Append(amount.ToChinese());
        }
        else if (rule.Kind == AmountKind.UpTo)
        {
            text.Append("，核定").Append(amount.ToChinese());
        }

        if (determinationDate > fact.Date)
        {
            text.Append("；")
                .Append(rule.Trigger == AwardTrigger.Recognition ? "认定" : "复审通过")
                .Append("日期").Append(Chinese(fact.Date))
                .Append("早于政策施行日期").Append(Chinese(version.EffectiveFrom))
                .Append("，政策追溯自").Append(Chinese(terms.AppliesFrom))
                .Append("起适用，核定日期").Append(Chinese(determinationDate));
        }
        return text.ToString();
    }

    private static string TierName(string code, ReferenceData reference) => reference.FindTier(code)?.NameZh ?? code;

    private static string Chinese(LocalDate date) => $"{date.Year}年{date.Month}月{date.Day}日";
}
