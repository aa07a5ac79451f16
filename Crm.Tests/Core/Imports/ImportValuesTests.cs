using Crm.Core.Imports;

namespace Crm.Tests.Core.Imports;

/// <summary>Each column transform: what it makes of real-world values, and the sentence it gives when it cannot.</summary>
public class ImportValuesTests
{
    [Theory]
    [InlineData("  Ada  ", "Ada")]
    [InlineData("\u200BAda\uFEFF", "Ada")]
    [InlineData("\tLovelace \r\n", "Lovelace")]
    [InlineData("   ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("'=1+2", "=1+2")]
    [InlineData("'＠SUM(A1)", "＠SUM(A1)")]
    [InlineData("'tis the season", "'tis the season")]
    public void Clean_TrimsSpacesAndInvisibleCharacters_TakesOffOurFormulaGuard_AndEmptyIsNothing(string? raw, string? expected) =>
        Assert.Equal(expected, ImportValues.Clean(raw));

    [Theory]
    [InlineData("ADA@Example.COM", "ada@example.com")]
    [InlineData("mailto:ada@example.com", "ada@example.com")]
    [InlineData("ada+crm@sub.example.co.uk", "ada+crm@sub.example.co.uk")]
    public void Email_IsLowerCased(string value, string expected) => Assert.Equal(expected, ImportValues.Email(value).Value);

    [Theory]
    [InlineData("ada@", "nothing comes after the @")]
    [InlineData("ada.example.com", "it has no @")]
    [InlineData("ada@@example.com", "it has more than one @")]
    [InlineData("a,b@x.com", "it contains ','")]
    [InlineData("ana@mail..example.com", "the domain has an empty part")]
    [InlineData("john..smith@x.com", "two dots in a row")]
    [InlineData("jane.doe.@x.com", "starts or ends with a dot")]
    [InlineData(".jane@x.com", "starts or ends with a dot")]
    [InlineData("ana\u200B@example.com", "an invisible character (U+200B)")]
    [InlineData("ana smith@example.com", "a space")]
    [InlineData("ana@localhost", "the domain has no dot")]
    [InlineData("ana@example.123", "ends in a number")]
    [InlineData("ana@-example.com", "hyphen")]
    [InlineData("ana(x)@example.com", "'(' cannot appear before the @")]
    public void Email_Invalid_SaysWhy(string value, string why)
    {
        var parsed = ImportValues.Email(value);
        Assert.Null(parsed.Value);
        Assert.StartsWith($"'{value}' is not an email address: ", parsed.Error);
        Assert.Contains(why, parsed.Error);
    }

    [Theory]
    [InlineData("<angle@example.com>", "angle@example.com", "angle brackets")]
    [InlineData("Ada Lovelace <Ada@Example.com>", "ada@example.com", "angle brackets")]
    [InlineData("peter@dailybugle.com.", "peter@dailybugle.com", "dot at the end")]
    public void Email_WrittenUnambiguously_IsReadWithANote(string value, string expected, string note)
    {
        var parsed = ImportValues.Email(value);
        Assert.Equal(expected, parsed.Value);
        Assert.Contains(note, parsed.Note);
    }

    [Fact]
    public void SplitMany_SplitsGooglesSeparator_SemicolonsAndLines() =>
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com", "d@example.com"],
            ImportValues.SplitMany("a@example.com ::: b@example.com; c@example.com\nd@example.com"));

    [Theory]
    [InlineData("+44 20 7946 0958", "US", "+442079460958")]
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("415.555.2671", "US", "+14155552671")]
    [InlineData("030 901820", "DE", "+4930901820")]
    [InlineData("0044 20 7946 0958", "DE", "+442079460958")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    public void Phone_BecomesE164_WithTheDefaultCountryForLocalNumbers(string value, string region, string expected) =>
        Assert.Equal(expected, ImportValues.Phone(value, region).Value);

    [Theory]
    [InlineData("phone work", "is not a phone number")]
    [InlineData("n/a", "is not a phone number")]
    [InlineData("12", "too short for a phone number of US")]
    [InlineData("555-0100", "too short for a phone number of US")]
    [InlineData("06 12 34 56 78", "not a valid phone number of US")]
    [InlineData("(555) 555-1212", "not a valid phone number of US")]
    public void Phone_ThatNoOneCouldDial_IsRefusedWithTheReason(string value, string why)
    {
        var parsed = ImportValues.Phone(value, "US");
        Assert.Null(parsed.Value);
        Assert.Contains(why, parsed.Error);
    }

    [Theory]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("+1 (415) 555-2671 ext. 89", "US", "+14155552671 ext. 89")]
    [InlineData("(415) 555-2671 x89", "US", "+14155552671 ext. 89")]
    [InlineData("+33 6 12 34 56 78", "US", "+33612345678")]
    public void Phone_IsReadWithItsCountry_AndKeepsItsExtension(string value, string region, string expected) =>
        Assert.Equal(expected, ImportValues.Phone(value, region).Value);

    [Theory]
    [InlineData("https://acme.example/about", "https://acme.example/about")]
    [InlineData("www.acme.example", "https://www.acme.example")]
    [InlineData("linkedin.com/in/ada", "https://linkedin.com/in/ada")]
    public void Url_GetsAScheme_WhenItObviouslyLacksOne(string value, string expected) => Assert.Equal(expected, ImportValues.Url(value).Value);

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://files.example")]
    [InlineData("not a url")]
    public void Url_OtherThanHttp_IsRefused(string value) => Assert.NotNull(ImportValues.Url(value).Error);

    [Theory]
    [InlineData("https://www.Acme.example/about?x=1", "acme.example")]
    [InlineData("acme.example", "acme.example")]
    [InlineData("WWW.ACME.EXAMPLE", "acme.example")]
    public void Domain_IsNormalised(string value, string expected) => Assert.Equal(expected, ImportValues.Domain(value).Value);

    [Theory]
    [InlineData("2024-03-31", null, "2024-03-31")]
    [InlineData("2024/03/31", null, "2024-03-31")]
    [InlineData("20240331", null, "2024-03-31")]
    [InlineData("2010-10-14T12:00:00.000Z-0300", null, "2010-10-14")]
    [InlineData("31/03/2024", null, "2024-03-31")]
    [InlineData("03/31/2024", null, "2024-03-31")]
    [InlineData("31.03.2024", null, "2024-03-31")]
    [InlineData("45382", "excel", "2024-03-31")]
    [InlineData("45382.5", null, "2024-03-31")]
    [InlineData("04/05/2024", "us", "2024-04-05")]
    [InlineData("04/05/2024", "eu", "2024-05-04")]
    [InlineData("5 Apr 2024", null, "2024-04-05")]
    [InlineData("Apr-05-24", "MMM-dd-yy", "2024-04-05")]
    public void Date_ReadsIsoUsEuExcelAndExplicitFormats(string value, string? format, string expected) =>
        Assert.Equal(expected, ImportValues.Date(value, format).Value);

    [Fact]
    public void Date_ThatCouldBeEitherWay_AsksForTheFormat()
    {
        var parsed = ImportValues.Date("04/05/2024", null);
        Assert.Null(parsed.Value);
        Assert.Contains("choose the date format", parsed.Error);
    }

    [Theory]
    [InlineData("5 March 2024", "2024-03-05")]
    [InlineData("15 January 2024", "2024-01-15")]
    [InlineData("12 December 2023", "2023-12-12")]
    [InlineData("March 5, 2024", "2024-03-05")]
    [InlineData("Mar 5 2024", "2024-03-05")]
    [InlineData("5th March 2024", "2024-03-05")]
    [InlineData("Tuesday, March 5, 2024", "2024-03-05")]
    [InlineData("Tue, 5 Mar 2024 10:30:00 +0100", "2024-03-05")]
    [InlineData("05-Mar-2024", "2024-03-05")]
    [InlineData("5 March 2024 at 9:00 AM", "2024-03-05")]
    public void Date_WithTheMonthInWords_IsReadExactly(string value, string expected)
    {
        var parsed = ImportValues.Date(value, null);
        Assert.Equal(expected, parsed.Value);
    }

    [Theory]
    [InlineData("Monday, March 5, 2024")] // 5 March 2024 was a Tuesday
    [InlineData("5 Mars 2024")]
    [InlineData("March 2024")]
    [InlineData("31 February 2024")]
    [InlineData("5 March")]
    public void Date_InWordsThatWouldNeedAGuess_IsRefusedWithAMessage(string value)
    {
        var parsed = ImportValues.Date(value, null);
        Assert.Null(parsed.Value);
        Assert.Contains("without guessing", parsed.Error);
    }

    [Theory]
    [InlineData("31/02/2024", null)]
    [InlineData("tomorrow", null)]
    [InlineData("2024-03-31", "us")]
    public void Date_Impossible_IsRefused(string value, string? format) => Assert.NotNull(ImportValues.Date(value, format).Error);

    [Theory]
    [InlineData("1234.56", null, "1234.56")]
    [InlineData("1,234.56", null, "1234.56")]
    [InlineData("1.234,56", null, "1234.56")]
    [InlineData("1234,56", null, "1234.56")]
    [InlineData("1,234", null, "1234")]
    [InlineData("$1,234.50", null, "1234.50")]
    [InlineData("EUR 1.234,50", null, "1234.50")]
    [InlineData("(500)", null, "-500")]
    [InlineData("1.234,56", "de-DE", "1234.56")]
    [InlineData("1,234.56", "en-US", "1234.56")]
    [InlineData("500000.0", null, "500000.0")]
    public void Number_ReadsSeparatorsAndCurrencies(string value, string? culture, string expected) =>
        Assert.Equal(expected, ImportValues.Number(value, culture).Value);

    [Theory]
    [InlineData("12abc", null)]
    [InlineData("1,234.56", "de-DE")]
    [InlineData("1.5", "xx-NOPE")]
    public void Number_Unreadable_IsRefused(string value, string? culture) => Assert.NotNull(ImportValues.Number(value, culture).Error);

    [Fact]
    public void Number_WithTooManyDecimals_ForMoney_IsRefused() =>
        Assert.Contains("more than 2 decimals", ImportValues.Number("10.555", null, 2).Error);

    [Theory]
    [InlineData("75%", "75")]
    [InlineData("75", "75")]
    [InlineData("0.75", "75")]
    [InlineData("100.0", "100")]
    public void Percent_AcceptsTheUsualWritings(string value, string expected) => Assert.Equal(expected, ImportValues.Percent(value, null).Value);

    [Fact]
    public void Percent_OverAHundred_IsRefused() => Assert.Contains("between 0% and 100%", ImportValues.Percent("150", null).Error);

    [Theory]
    [InlineData("42", "42")]
    [InlineData("1,000", "1000")]
    public void Integer_InRange(string value, string expected) => Assert.Equal(expected, ImportValues.Integer(value, null, 0, 1000).Value);

    [Theory]
    [InlineData("1001")]
    [InlineData("4.5")]
    [InlineData("-1")]
    public void Integer_OutOfRangeOrFractional_IsRefused(string value) => Assert.NotNull(ImportValues.Integer(value, null, 0, 1000).Error);

    [Theory]
    [InlineData("Yes", "true")]
    [InlineData("x", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("ja", "true")]
    [InlineData("No", "false")]
    [InlineData("0", "false")]
    public void Boolean_ReadsYesNoWords(string value, string expected) => Assert.Equal(expected, ImportValues.Boolean(value).Value);

    [Fact]
    public void Boolean_Other_IsRefused() => Assert.NotNull(ImportValues.Boolean("maybe").Error);

    [Theory]
    [InlineData("usd", "USD")]
    [InlineData("€", "EUR")]
    [InlineData("£", "GBP")]
    public void Currency_IsAnIsoCode(string value, string expected) => Assert.Equal(expected, ImportValues.Currency(value).Value);

    [Theory]
    [InlineData("Customer", "customer")]
    [InlineData("CUSTOMER ", "customer")]
    [InlineData("Sales Qualified Lead", "sql")]
    [InlineData("marketing-qualified-lead", "mql")]
    [InlineData("Client", "customer")]
    public void Lifecycle_MatchesOptionsAndTheirUsualNames(string value, string expected) =>
        Assert.Equal(expected, ImportValues.Lifecycle(value, null).Value);

    [Fact]
    public void Lifecycle_Unknown_IsAPicklistError_ThatAValueMapResolves()
    {
        var unknown = ImportValues.Lifecycle("Partner", null);
        Assert.Equal(ImportErrorType.Picklist, unknown.ErrorType);
        Assert.Contains("map it to one", unknown.Error);
        Assert.Contains("subscriber, lead, mql, sql, opportunity, customer, evangelist, other", unknown.Error);

        Assert.Equal("customer", ImportValues.Lifecycle("Partner", new Dictionary<string, string> { ["partner "] = "customer" }).Value);
    }

    [Theory]
    [InlineData("subscriber", "subscriber")]
    [InlineData("Marketing Qualified Lead", "mql")]
    [InlineData("salesqualifiedlead", "sql")]
    [InlineData("EVANGELIST", "evangelist")]
    [InlineData("other", "other")]
    public void Lifecycle_HubSpotsStandardStages_AreAllStagesHere(string value, string expected) =>
        Assert.Equal(expected, ImportValues.Lifecycle(value, null).Value);

    [Theory]
    [InlineData("Ada Lovelace", "Ada", "Lovelace")]
    [InlineData("Lovelace, Ada", "Ada", "Lovelace")]
    [InlineData("Dr. Ada King Lovelace", "Ada King", "Lovelace")]
    [InlineData("Martin Luther King Jr.", "Martin Luther", "King")]
    [InlineData("Cher", "Cher", null)]
    public void SplitName_FindsFirstAndLast(string value, string? first, string? last) => Assert.Equal((first, last), ImportValues.SplitName(value));
}
