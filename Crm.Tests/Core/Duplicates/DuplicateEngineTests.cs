using Crm.Core.Duplicates;

namespace Crm.Tests.Core.Duplicates;

/// <summary>The matching engine: each normalisation, each rule with its confidence, thresholds, and look-alikes that must not match.</summary>
public class DuplicateEngineTests
{
    [Theory]
    [InlineData(" Ada@Example.COM ", "ada@example.com")]
    [InlineData("mailto:ada@example.com", "ada@example.com")]
    [InlineData("not an email", null)]
    [InlineData("", null)]
    public void Email_IsTrimmedAndLowerCased(string? value, string? expected) => Assert.Equal(expected, DuplicateKeys.Email(value));

    [Theory]
    [InlineData("https://www.linkedin.com/in/ada-lovelace/", "linkedin.com/in/ada-lovelace")]
    [InlineData("http://uk.LinkedIn.com/in/Ada-Lovelace?trk=profile", "linkedin.com/in/ada-lovelace")]
    [InlineData("linkedin.com/in/ada-lovelace#about", "linkedin.com/in/ada-lovelace")]
    [InlineData("https://www.linkedin.com/company/acme", null)]
    [InlineData("https://example.com/in/ada", null)]
    public void LinkedIn_IsTheProfilePath(string value, string? expected) => Assert.Equal(expected, DuplicateKeys.LinkedIn(value));

    [Theory]
    [InlineData("  Zoë  MÜLLER-Smith ", "zoe muller smith")]
    [InlineData("Søren Łukasz Straße", "soren lukasz strasse")]
    [InlineData("O'Brien", "o brien")]
    public void Fold_DropsCaseAccentsAndPunctuation(string value, string expected) => Assert.Equal(expected, DuplicateKeys.Fold(value));

    [Theory]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData("415.555.2671", "+14155552671")]
    [InlineData("+14155552671", "+14155552671")]
    [InlineData("011 44 20 7946 0958", "+442079460958")]
    [InlineData("call me", null)]
    public void Phone_IsE164(string value, string? expected) => Assert.Equal(expected, DuplicateKeys.Phone(value));

    [Theory]
    [InlineData("ACME, Inc.", "acme")]
    [InlineData("The Acme Corporation", "acme")]
    [InlineData("Müller GmbH & Co. KG", "muller")]
    [InlineData("Inc.", null)]
    public void AccountName_LosesItsLegalForm(string value, string? expected) => Assert.Equal(expected, DuplicateKeys.AccountName(value));

    private static ContactKey C(long id, string? email = null, string? first = null, string? last = null, long? account = null, string? phone = null, string? linkedIn = null) =>
        ContactKey.Of(id, email, linkedIn, first, last, account, phone);

    private static DuplicatePair Single(params ContactKey[] contacts) => Assert.Single(new DuplicateEngine().Contacts(contacts));

    [Fact]
    public void SameEmail_InAnyCase_Is100()
    {
        var pair = Single(C(1, "Ada@Example.com", "Ada"), C(2, " ada@example.COM", "Augusta"));
        Assert.Equal((1, 2, 100), (pair.A, pair.B, pair.Confidence));
        Assert.Equal(["Same email (ada@example.com)"], pair.Reasons);
    }

    [Fact]
    public void SameLinkedInProfile_Is95() =>
        Assert.Equal(95, Single(C(1, linkedIn: "https://www.linkedin.com/in/ada/"), C(2, linkedIn: "linkedin.com/in/ADA")).Confidence);

    [Fact]
    public void SameNameAtTheSameAccount_WithoutCaseOrAccents_Is90() =>
        Assert.Equal(90, Single(C(1, "ada@one.example", "Zoë", "Müller", 7), C(2, "ada@two.example", "ZOE", "Muller", 7)).Confidence);

    [Fact]
    public void SamePhone_Alone_IsOnlyAPossibleDuplicate_NotOneToReview()
    {
        var pair = Single(C(1, first: "Ada", last: "Lovelace", phone: "+1 (415) 555-2671"), C(2, first: "Grace", last: "Hopper", phone: "415.555.2671"));
        Assert.Equal(DuplicateEngine.PhoneConfidence, pair.Confidence);
        Assert.True(pair.Confidence < DuplicateThresholds.DefaultReview);
        Assert.Equal((DuplicateRules.Phone, "+14155552671"), (pair.Rule, pair.Key));
    }

    [Theory]
    [InlineData("Ada", "Lovelace", "Augusta Ada", "Lovelace")] // the same last name
    [InlineData("Jon", "Smith", "John", "Smith")]
    [InlineData("Katherine", "Okafor", "Katharine", "Okafor")]
    public void SamePhone_InAnyFormat_WithASimilarName_GoesToReview(string firstA, string lastA, string firstB, string lastB)
    {
        var pair = Single(C(1, first: firstA, last: lastA, phone: "+1 (415) 555-2671"), C(2, first: firstB, last: lastB, phone: "415.555.2671"));
        Assert.Equal(DuplicateEngine.PhoneAndNameConfidence, pair.Confidence);
    }

    [Fact]
    public void SamePhone_AtTheSameAccount_GoesToReview() =>
        Assert.Equal(DuplicateEngine.PhoneAndNameConfidence,
            Single(C(1, first: "Ada", last: "Lovelace", account: 7, phone: "+1 415 555 2671"), C(2, first: "Front", last: "Desk", account: 7, phone: "4155552671")).Confidence);

    [Fact]
    public void AccountsWithTheSameName_AndEachItsOwnDomain_AreNotANameMatch()
    {
        var engine = new DuplicateEngine();
        var sisters = engine.Accounts([AccountKey.Of(1, "blueyonder.com", "Blue Yonder AG"), AccountKey.Of(2, "blueyonder.es", "Blue Yonder GmbH")]);
        Assert.Equal(DuplicateEngine.CompanyNameOtherDomainsConfidence, Assert.Single(sisters).Confidence);
        Assert.True(sisters[0].Confidence < DuplicateThresholds.DefaultReview);
        var oneWithout = engine.Accounts([AccountKey.Of(1, "blueyonder.com", "Blue Yonder AG"), AccountKey.Of(2, null, "Blue Yonder GmbH")]);
        Assert.Equal((90, DuplicateRules.CompanyName), (Assert.Single(oneWithout).Confidence, oneWithout[0].Rule));
    }

    [Fact]
    public void APair_FoundByTwoRules_IsGroupedByTheStrongest()
    {
        var pair = Single(C(1, "ada@x.example", "Ada", "Lovelace", 3, phone: "+1 415 555 2671"), C(2, "ada@x.example", "Ada", "Lovelace", 3, phone: "+1 415 555 2671"));
        Assert.Equal((100, DuplicateRules.Email, "ada@x.example"), (pair.Confidence, pair.Rule, pair.Key));
        Assert.Equal(3, pair.Reasons.Count);
    }

    [Fact]
    public void OneTypoInALongNameAtTheSameAccount_GoesToReview()
    {
        var pair = Single(C(1, "j1@acme.example", "Jonathan", "Smithson", 3), C(2, "j2@acme.example", "Jonathon", "Smithson", 3));
        Assert.True(pair.Confidence >= DuplicateThresholds.DefaultReview);
        Assert.StartsWith("Nearly the same name", pair.Reasons.Single());
    }

    [Theory]
    [InlineData("Jonathan", "Smithson", "Jonahtan", "Smithson")] // two letters swapped
    [InlineData("Margaret", "Holloway", "Margaret", "Hollway")] // a letter dropped
    [InlineData("Katherine", "Okafor", "Kxatherine", "Okafor")] // a letter added at the start
    [InlineData("Bernadette", "Quigley", "Bernadette", "Qiugley")] // a swap right after the first letter
    public void OneTypoAnywhereInALongName_IsNearlyTheSameName(string first, string last, string typoFirst, string typoLast)
    {
        var pair = Single(C(1, "a@acme.example", first, last, 3), C(2, "b@acme.example", typoFirst, typoLast, 3));
        Assert.Equal(DuplicateEngine.SimilarNameAtAccountConfidence, pair.Confidence);
    }

    [Theory]
    [InlineData("Christina", "Christine")]
    [InlineData("Ivan", "Ian")]
    [InlineData("Daniel", "Daniela")]
    public void TwoRealGivenNamesOneLetterApart_AreTwoPeople_NotATypo(string one, string other)
    {
        var pairs = new DuplicateEngine().Contacts([C(1, "a@acme.example", one, "Andersen", 3), C(2, "b@acme.example", other, "Andersen", 3)], DuplicateThresholds.DefaultReview);
        Assert.Empty(pairs);
        Assert.True(GivenNames.DifferInGivenName(DuplicateKeys.Name(one, "Andersen"), DuplicateKeys.Name(other, "Andersen")));
    }

    [Fact]
    public void NamesOneLetterApart_WhoseEmailsEachSpellTheirOwnName_AreTwoPeople()
    {
        ContactKey[] colleagues = [C(1, "christine.peldor@acme.example", "Christine", "Peldor", 3), C(2, "christine.zeldor@acme.example", "Christine", "Zeldor", 3)];
        ContactKey[] typo = [C(1, "christine.peldor@acme.example", "Christine", "Peldor", 3), C(2, "cpeldor@inbox.example", "Christine", "Pledor", 3)];

        ContactKey[] oneLetterMore = [C(1, "maria.elman@acme.example", "Maria", "Elman", 3), C(2, "maria.zelman@acme.example", "Maria", "Zelman", 3)];

        Assert.Empty(new DuplicateEngine().Contacts(colleagues, DuplicateThresholds.DefaultReview));
        Assert.Empty(new DuplicateEngine().Contacts(oneLetterMore, DuplicateThresholds.DefaultReview));
        Assert.Equal(DuplicateEngine.SimilarNameAtAccountConfidence, Single(typo).Confidence);
    }

    [Fact]
    public void InABigAccount_ATypoAtTheStartOfTheName_IsStillFound()
    {
        // More colleagues than one block compares all-against-all: neighbours in name order and reversed-name order.
        var random = new Random(3);
        var contacts = Enumerable.Range(1, DuplicateEngine.FuzzyBlock * 4)
            .Select(i => C(i, $"p{i}@big.example", $"{(char)('a' + random.Next(26))}{Guid.NewGuid():N}"[..10], $"Surname{i:D5}", 9)).ToList();
        contacts.Add(C(5_000, "typo@big.example", "Xernadette", "Quigleyson", 9));
        contacts.Add(C(5_001, "right@big.example", "Bernadette", "Quigleyson", 9));

        var engine = new DuplicateEngine();
        var pairs = engine.Contacts(contacts, DuplicateThresholds.DefaultReview);

        Assert.Contains(pairs, p => (p.A, p.B) == (5_000, 5_001));
        Assert.True(engine.PairsCompared < (long)contacts.Count * 30, $"{engine.PairsCompared} pairs compared");
    }

    [Fact]
    public void SeveralRules_KeepTheHighestConfidence_AndEveryReason()
    {
        var pair = Single(C(1, "ada@example.com", "Ada", "Lovelace", 5, "+442079460958"), C(2, "ADA@example.com", "Ada", "Lovelace", 5, "+44 20 7946 0958 "));
        Assert.Equal(100, pair.Confidence);
        Assert.Equal(3, pair.Reasons.Count);
    }

    [Fact]
    public void LookAlikes_DoNotMatch()
    {
        var pairs = new DuplicateEngine().Contacts(
        [
            // The same name at two companies: two people.
            C(1, "john.smith@acme.example", "John", "Smith", 1),
            C(2, "john.smith@globex.example", "John", "Smith", 2),
            // Colleagues at one company with similar names.
            C(3, "maria@acme.example", "Maria", "Garcia", 1),
            C(4, "mario@acme.example", "Mario", "Garcia", 1),
            C(5, "ann@acme.example", "Ann", "Lee", 1),
            C(6, "anne@acme.example", "Anne", "Lee", 1),
        ], DuplicateThresholds.DefaultReview);

        Assert.Empty(pairs);
    }

    [Fact]
    public void AKeySharedByManyRecords_IsNotAnIdentity()
    {
        var switchboard = Enumerable.Range(1, DuplicateEngine.MaxGroup + 1).Select(i => C(i, first: $"Person{i}", phone: "+14155550100")).ToArray();

        Assert.Empty(new DuplicateEngine().Contacts(switchboard));
    }

    [Fact]
    public void Minimum_LeavesOutWeakerPairs()
    {
        ContactKey[] contacts = [C(1, first: "A", phone: "+14155552671"), C(2, first: "B", phone: "+14155552671"), C(3, "x@example.com"), C(4, "x@example.com")];

        Assert.Equal(2, new DuplicateEngine().Contacts(contacts, 50).Count);
        Assert.Single(new DuplicateEngine().Contacts(contacts, 90));
    }

    [Fact]
    public void OnlyRecordsSharingAKey_AreCompared()
    {
        var engine = new DuplicateEngine();
        var contacts = Enumerable.Range(1, 10_000).Select(i => C(i, $"p{i}@example.com", $"P{i}", $"Q{i}", i % 100, $"+1415555{i:D4}")).ToList();

        engine.Contacts(contacts);

        // 100 accounts of 100 contacts compare inside each account only: 100 × 4,950, not 50 million.
        Assert.Equal(100 * 4_950, engine.PairsCompared);
    }

    [Fact]
    public void Accounts_MatchByDomain_AndByNameWithoutLegalForm()
    {
        var pairs = new DuplicateEngine().Accounts(
        [
            AccountKey.Of(1, "https://www.acme.example/about", "Acme Inc."),
            AccountKey.Of(2, "acme.example", "Acme Worldwide"),
            AccountKey.Of(3, null, "ACME, Inc"),
            AccountKey.Of(4, null, "Acme Labs"),
        ]);

        Assert.Equal([(1L, 2L, 100), (1L, 3L, 90)], pairs.Select(p => (p.A, p.B, p.Confidence)));
    }

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.840)]
    [InlineData("dixon", "dicksonx", 0.813)]
    public void JaroWinkler_MatchesPublishedValues(string a, string b, double expected) =>
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 3);

    [Theory]
    [InlineData("jonathan", "jonathon", true)]
    [InlineData("smith", "smiht", true)]
    [InlineData("smith", "smiths", true)]
    [InlineData("smith", "smth", true)]
    [InlineData("smith", "smyte", false)]
    [InlineData("ann", "anne", true)]
    public void Edits_AtMostOne(string a, string b, bool expected) => Assert.Equal(expected, Edits.AtMostOne(a, b));
}
