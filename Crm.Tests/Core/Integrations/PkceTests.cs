using Crm.Core.Integrations.OAuth;

namespace Crm.Tests.Core.Integrations;

public class PkceTests
{
    [Fact]
    public void Challenge_MatchesRfc7636AppendixB() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Fact]
    public void NewVerifiers_AreUnreserved43Characters_AndNeverRepeat()
    {
        var verifiers = Enumerable.Range(0, 100).Select(_ => Pkce.NewVerifier()).ToList();
        Assert.All(verifiers, v => Assert.Matches("^[A-Za-z0-9._~-]{43}$", v));
        Assert.Equal(100, verifiers.Distinct().Count());
    }
}
