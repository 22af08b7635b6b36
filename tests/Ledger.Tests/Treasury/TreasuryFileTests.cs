using System.Text;
using Ledger.Budgets;
using Ledger.Enterprises;
using Ledger.Policies;
using Ledger.Treasury;
using NodaTime;

namespace Ledger.Tests.Treasury;

/// <summary>The instruction file on disk: its form (BOM, header, RFC 4180) and appending that is idempotent against the file.</summary>
public sealed class TreasuryFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-treasury-file-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        else if (File.Exists(_folder))
        {
            File.Delete(_folder);
        }
    }

    private static WriteTreasuryInstruction Instruction(string payee = "海盐精工有限公司", Guid? disbursement = null) =>
        new(disbursement ?? Guid.NewGuid(), Guid.NewGuid(), new BudgetLineKey("330424", 2024, FundingLevel.County), "海盐县",
            payee, "91330424MA2B3C4D5E", new BankAccount("中国工商银行海盐支行", payee, "1204060109000012345"), Money.Of(750_000m),
            "专精特新奖励资金：国家级专精特新\"小巨人\"认定奖励（嘉兴市专精特新奖励，嘉政发〔2022〕1号）",
            Instant.FromUtc(2024, 11, 4, 2, 0));

    private string PathOf(WriteTreasuryInstruction instruction) => Path.Combine(_folder, instruction.FileName);

    private static string Text(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path)[3..]);

    [Fact]
    public void A_new_file_starts_with_the_BOM_and_the_header_and_each_line_ends_with_CRLF()
    {
        var instruction = Instruction();

        TreasuryFile.Append(_folder, instruction).ShouldBeTrue();

        Directory.Exists(_folder).ShouldBeTrue();
        instruction.FileName.ShouldBe("330424-county-2024-11-04.csv");
        File.ReadAllBytes(PathOf(instruction))[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Text(PathOf(instruction)).ShouldBe(
            "payer_division_code,payer_division_name,payer_level,payee_name,payee_uscc,payee_bank,payee_account_name,payee_account_number,amount_yuan,purpose,award_id,disbursement_id,approved_at\r\n" +
            $"330424,海盐县,county,海盐精工有限公司,91330424MA2B3C4D5E,中国工商银行海盐支行,海盐精工有限公司,1204060109000012345,750000.00," +
            $"\"专精特新奖励资金：国家级专精特新\"\"小巨人\"\"认定奖励（嘉兴市专精特新奖励，嘉政发〔2022〕1号）\",{instruction.AwardId},{instruction.DisbursementId},2024-11-04T10:00:00+08:00\r\n");
    }

    [Fact]
    public void A_disbursement_the_file_holds_is_not_appended_again()
    {
        var instruction = Instruction();
        TreasuryFile.Append(_folder, instruction).ShouldBeTrue();
        var before = File.ReadAllBytes(PathOf(instruction));

        TreasuryFile.Append(_folder, instruction).ShouldBeFalse();
        TreasuryFile.Append(_folder, instruction with { Amount = Money.Of(1m) }).ShouldBeFalse();

        File.ReadAllBytes(PathOf(instruction)).ShouldBe(before);
    }

    [Fact]
    public void A_torn_last_line_is_cut_off_before_the_next_line_is_appended()
    {
        var first = Instruction();
        var second = Instruction();
        TreasuryFile.Append(_folder, first);
        // A process killed in the middle of writing the second line left part of it, without its line break.
        var torn = TreasuryFile.Record(second.Fields());
        using (var file = new FileStream(PathOf(first), FileMode.Append))
        {
            file.Write(torn.AsSpan(0, torn.Length / 2));
        }
        TreasuryFile.DisbursementIds(PathOf(first)).ShouldBe([first.DisbursementId.ToString()]);

        TreasuryFile.Append(_folder, second).ShouldBeTrue();

        TreasuryFile.DisbursementIds(PathOf(first)).ShouldBe([first.DisbursementId.ToString(), second.DisbursementId.ToString()]);
        Text(PathOf(first)).Split("\r\n").Length.ShouldBe(4, "header, two lines and nothing after the last line break");
    }

    [Fact]
    public void A_line_torn_after_a_line_break_inside_a_quoted_field_is_still_torn()
    {
        var first = Instruction();
        var second = Instruction(payee: "海盐\r\n精工");
        TreasuryFile.Append(_folder, first);
        var record = TreasuryFile.Record(second.Fields());
        var inside = Encoding.UTF8.GetBytes("海盐\r\n").Length + Encoding.UTF8.GetBytes("330424,海盐县,county,\"").Length;
        using (var file = new FileStream(PathOf(first), FileMode.Append))
        {
            file.Write(record.AsSpan(0, inside));
        }

        TreasuryFile.Append(_folder, second).ShouldBeTrue();

        TreasuryFile.DisbursementIds(PathOf(first)).ShouldBe([first.DisbursementId.ToString(), second.DisbursementId.ToString()]);
        Text(PathOf(first)).ShouldContain("\"海盐\r\n精工\",");
    }

    [Fact]
    public void A_file_holding_only_part_of_its_header_is_started_again()
    {
        var instruction = Instruction();
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(PathOf(instruction), [0xEF, 0xBB, 0xBF, .. "payer_division_code,payer_"u8]);

        TreasuryFile.Append(_folder, instruction).ShouldBeTrue();

        var bytes = File.ReadAllBytes(PathOf(instruction));
        bytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Text(PathOf(instruction)).ShouldStartWith("payer_division_code,payer_division_name,");
        TreasuryFile.DisbursementIds(PathOf(instruction)).ShouldBe([instruction.DisbursementId.ToString()]);
    }

    [Fact]
    public void Commas_quotes_and_line_breaks_in_a_field_are_quoted_and_read_back()
    {
        TreasuryFile.Record(["a", "b,c", "d\"e", "f\ng", ""]).ShouldBe(Encoding.UTF8.GetBytes("a,\"b,c\",\"d\"\"e\",\"f\ng\",\r\n"));
        var instruction = Instruction(payee: "海盐\"精工\",有限公司");

        TreasuryFile.Append(_folder, instruction);

        TreasuryFile.DisbursementIds(PathOf(instruction)).ShouldBe([instruction.DisbursementId.ToString()]);
        Text(PathOf(instruction)).ShouldContain(",\"海盐\"\"精工\"\",有限公司\",");
    }

    [Fact]
    public void A_folder_path_that_is_a_file_cannot_take_a_line()
    {
        File.WriteAllText(_folder, "not a folder");

        Should.Throw<IOException>(() => TreasuryFile.Append(_folder, Instruction()));
    }

    [Fact]
    public void Each_paying_line_and_approval_day_in_China_has_its_own_file()
    {
        var county = Instruction();
        var city = county with { Line = new BudgetLineKey("330400", 2024, FundingLevel.City), PayerName = "嘉兴市" };
        // 2024-11-04 16:30 UTC is already 2024-11-05 in China.
        var nextDay = county with { ApprovedAt = Instant.FromUtc(2024, 11, 4, 16, 30) };

        (county.FileName, city.FileName, nextDay.FileName).ShouldBe(
            ("330424-county-2024-11-04.csv", "330400-city-2024-11-04.csv", "330424-county-2024-11-05.csv"));
    }
}
