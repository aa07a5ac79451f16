using Crm.Core.Email;

namespace Crm.Tests.Core.Email;

public class MailboxAddressesTests
{
    [Theory]
    [InlineData("Ada.Lovelace+crm@GoogleMail.com", "adalovelace@gmail.com")]
    [InlineData(" ADA@Engines.Example ", "ada@engines.example")]
    [InlineData("ada+news@outlook.com", "ada@outlook.com")]
    [InlineData("ada.lovelace@outlook.com", "ada.lovelace@outlook.com")]
    // A company's own domain: "+" may be part of the mailbox's real name, and dots always are.
    [InlineData("sales+emea@engines.example", "sales+emea@engines.example")]
    [InlineData("mailto:ada@icloud.com", "ada@icloud.com")]
    public void Canonical_FollowsEachProvidersRules(string address, string expected) =>
        Assert.Equal(expected, MailboxAddresses.Canonical(address));

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("ada lovelace@example.com")]
    public void Canonical_OfSomethingThatIsNotAnAddress_IsNull(string address) => Assert.Null(MailboxAddresses.Canonical(address));
}

public class LoggingRulesTests
{
    private static LoggingRules Rules(params string[] neverLog) =>
        new(new EmailSettings { NeverLog = [.. neverLog] }, ["avery@crm-company.example", "riley.rep@gmail.com"]);

    [Fact]
    public void Internal_IsAUsersAddress_OrTheirCompanysDomain_NeverAFreeMailDomain()
    {
        var rules = Rules();
        Assert.True(rules.IsInternal("someone.else@crm-company.example"));
        Assert.True(rules.IsInternal("Riley.Rep+x@googlemail.com"));
        // The rep's gmail.com address does not make every Gmail user a colleague.
        Assert.False(rules.IsInternal("ada@gmail.com"));
        Assert.False(rules.IsInternal("ada@engines.example"));
    }

    [Fact]
    public void NeverLog_CoversTheAddress_TheDomain_AndItsSubdomains()
    {
        var rules = Rules("ceo@bank.example", "lawfirm.example");
        Assert.True(rules.IsNeverLogged("CEO@bank.example"));
        Assert.False(rules.IsNeverLogged("clerk@bank.example"));
        Assert.True(rules.IsNeverLogged("partner@lawfirm.example"));
        Assert.True(rules.IsNeverLogged("partner@mail.lawfirm.example"));
        Assert.False(rules.IsNeverLogged("partner@notlawfirm.example"));
    }

    [Theory]
    [InlineData(" Bank.Example ", "bank.example")]
    [InlineData("@bank.example", "bank.example")]
    [InlineData("CEO@Bank.example", "ceo@bank.example")]
    [InlineData("not a domain", null)]
    [InlineData("https://bank.example/", null)]
    [InlineData("localhost", null)]
    public void NeverLogEntry_IsStoredNormalised_OrRefused(string entry, string? expected) =>
        Assert.Equal(expected, LoggingRules.NormalizeEntry(entry));
}
