namespace Ledger.Tests;

public class DeterministicGuidTests
{
    private static readonly Guid DnsNamespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void Matches_the_version_5_uuid_other_implementations_give()
    {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        DeterministicGuid.Create(DnsNamespace, "www.example.com").ShouldBe(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    [Fact]
    public void Carries_version_5_and_the_RFC_4122_variant()
    {
        var text = DeterministicGuid.Create(DnsNamespace, "海盐县").ToString();

        text[14].ShouldBe('5');
        text[19].ShouldBeOneOf('8', '9', 'a', 'b');
    }
}
