using Crm.Core.Common;
using Crm.Core.Imports;

namespace Crm.Tests.Core.Imports;

/// <summary>Suggested mappings for the published export headers of other systems (the real files are in RealExportsTests).</summary>
public class HeaderMatcherTests
{
    private static Dictionary<string, string> Suggest(RecordType type, string[] headers, IReadOnlyList<string?[]>? samples = null) =>
        HeaderMatcher.Suggest(headers, ImportFields.For(type, []), samples).Columns
            .Where(c => c.Field is not null).ToDictionary(c => c.Header, c => c.Field!);

    [Fact]
    public void HubSpotContactExport_MapsItsColumns()
    {
        var mapping = Suggest(RecordType.Contact, ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Lifecycle Stage",
            "Lead Status", "Contact owner", "Create Date", "City", "State/Region", "Country/Region", "Postal Code", "Street Address", "LinkedIn URL"]);

        Assert.Equal(new Dictionary<string, string>
        {
            ["Record ID"] = "id", ["First Name"] = "firstName", ["Last Name"] = "lastName", ["Email"] = "email", ["Phone Number"] = "phone",
            ["Company Name"] = "company", ["Job Title"] = "jobTitle", ["Lifecycle Stage"] = "lifecycle", ["Lead Status"] = "scoreTier",
            ["Contact owner"] = "owner", ["City"] = "city", ["State/Region"] = "region", ["Country/Region"] = "country", ["Postal Code"] = "postalCode",
            ["Street Address"] = "street", ["LinkedIn URL"] = "linkedInUrl",
        }, mapping);
    }

    [Fact]
    public void LinkedInConnections_MapsItsColumns()
    {
        var mapping = Suggest(RecordType.Contact, ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]);

        Assert.Equal(new Dictionary<string, string>
        {
            ["First Name"] = "firstName", ["Last Name"] = "lastName", ["URL"] = "linkedInUrl", ["Email Address"] = "email", ["Company"] = "company", ["Position"] = "jobTitle",
        }, mapping);
    }

    [Fact]
    public void PipedrivePeopleExport_MapsItsColumns()
    {
        var mapping = Suggest(RecordType.Contact, ["Person - Name", "Person - First name", "Person - Last name", "Person - Email - Work", "Person - Email - Home",
            "Person - Phone - Work", "Person - Organization", "Person - Owner", "Person - Job title", "Person - Label"]);

        Assert.Equal("firstName", mapping["Person - First name"]);
        Assert.Equal("lastName", mapping["Person - Last name"]);
        Assert.Equal("email", mapping["Person - Email - Work"]);
        Assert.Equal("additionalEmails", mapping["Person - Email - Home"]);
        Assert.Equal("phone", mapping["Person - Phone - Work"]);
        Assert.Equal("company", mapping["Person - Organization"]);
        Assert.Equal("owner", mapping["Person - Owner"]);
        Assert.Equal("jobTitle", mapping["Person - Job title"]);
        Assert.False(mapping.ContainsKey("Person - Label"));
    }

    [Fact]
    public void CurrentGoogleContactsExport_MapsValues_NotTheirLabels()
    {
        var mapping = Suggest(RecordType.Contact, ["First Name", "Middle Name", "Last Name", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
            "Phone 1 - Label", "Phone 1 - Value", "Address 1 - Label", "Address 1 - Street", "Address 1 - City", "Address 1 - Region", "Address 1 - Postal Code",
            "Address 1 - Country", "Organization Name", "Organization Title", "Labels"]);

        Assert.Equal(new Dictionary<string, string>
        {
            ["First Name"] = "firstName", ["Last Name"] = "lastName", ["E-mail 1 - Value"] = "email", ["E-mail 2 - Value"] = "additionalEmails", ["Phone 1 - Value"] = "phone",
            ["Address 1 - Street"] = "street", ["Address 1 - City"] = "city", ["Address 1 - Region"] = "region", ["Address 1 - Postal Code"] = "postalCode",
            ["Address 1 - Country"] = "country", ["Organization Name"] = "company", ["Organization Title"] = "jobTitle",
        }, mapping);
    }

    [Theory]
    [InlineData("E-mail Address", "email")]
    [InlineData("EMAIL", "email")]
    [InlineData("Work Email", "email")]
    [InlineData("e_mail", "email")]
    [InlineData("Frist Name", "firstName")]
    [InlineData("Lsat Name", "lastName")]
    [InlineData("Prénom", null)]
    [InlineData("Organisation", "company")]
    [InlineData("Mobile Phone", "phone")]
    [InlineData("ZIP", "postalCode")]
    [InlineData("Favourite colour", null)]
    public void OneColumn_IsMatchedByNormalisedName_WordRulesOrTypos(string header, string? field) =>
        Assert.Equal(field, Suggest(RecordType.Contact, [header]).GetValueOrDefault(header));

    [Theory]
    [InlineData("Last Contacted")]
    [InlineData("First Seen")]
    [InlineData("Last Updated Dt")]
    [InlineData("Former owner")]
    [InlineData("Previous Email")]
    [InlineData("Original Company")]
    public void AHeaderThatOnlySharesAWordWithAField_IsNotMatched(string header) =>
        Assert.Null(Suggest(RecordType.Contact, ["Email", header]).GetValueOrDefault(header));

    [Fact]
    public void County_IsTheRegionOrNothing_NeverATypoOfCountry()
    {
        Assert.Equal("region", Suggest(RecordType.Contact, ["County"]).GetValueOrDefault("County"));
        var both = Suggest(RecordType.Contact, ["State", "County", "Country"]);
        Assert.Equal(("region", "country"), (both["State"], both["Country"]));
        Assert.False(both.ContainsKey("County"));
        Assert.False(Suggest(RecordType.Contact, ["State", "County"]).ContainsKey("County"));
    }

    [Fact]
    public void AColumnOfDates_NeverGoesIntoANameField()
    {
        var mapping = Suggest(RecordType.Contact, ["Email", "Last", "First", "Name"], [["ada@example.com", "2024-03-05", "2023-01-02", "05/03/2024"], ["g@example.com", "2024-03-06", "", "12/12/2023"]]);

        Assert.Equal(["Email"], mapping.Keys);
    }

    [Fact]
    public void SeveralEmailColumns_TheFirstIsTheEmail_TheOthersOtherEmails()
    {
        var mapping = Suggest(RecordType.Contact, ["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"]);

        Assert.Equal(["email", "additionalEmails", "additionalEmails"], mapping.Values);
    }

    [Fact]
    public void TwoColumnsForOneField_TheOneWithValuesWins_ThenTheUsualName()
    {
        var headers = new[] { "Occupation", "Title", "Job Title" };

        Assert.Equal("Job Title", Suggest(RecordType.Contact, headers).Single(m => m.Value == "jobTitle").Key);
        Assert.Equal("Occupation", Suggest(RecordType.Contact, headers, [["Engineer", null, null]]).Single(m => m.Value == "jobTitle").Key);
    }

    [Fact]
    public void AnIdColumn_MapsToOurIds_OnlyWhenItsValuesAreNumbers()
    {
        Assert.Equal("id", Suggest(RecordType.Contact, ["ID", "Email"], [["42", "a@example.com"]]).GetValueOrDefault("ID"));
        Assert.Null(Suggest(RecordType.Contact, ["ID", "Email"], [["001x0000002xLCVAA2", "a@example.com"]]).GetValueOrDefault("ID"));
    }

    [Fact]
    public void AccountAndDealExports_MapTheirOwnFields()
    {
        var accounts = Suggest(RecordType.Account, ["Company name", "Company Domain Name", "Industry", "Phone Number", "City", "Company owner"]);
        Assert.Equal(("name", "domain", "industry", "phone", "owner"), (accounts["Company name"], accounts["Company Domain Name"], accounts["Industry"], accounts["Phone Number"], accounts["Company owner"]));

        var deals = Suggest(RecordType.Deal, ["Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date", "Deal owner", "Associated Company"]);
        Assert.Equal(("name", "pipeline", "stage", "amount", "closeDate", "owner", "company"),
            (deals["Deal Name"], deals["Pipeline"], deals["Deal Stage"], deals["Amount"], deals["Close Date"], deals["Deal owner"], deals["Associated Company"]));
    }

    [Fact]
    public void Signature_IgnoresCaseSpacesAndPunctuation() =>
        Assert.Equal(HeaderMatcher.Signature(["E-mail Address", "First Name"]), HeaderMatcher.Signature(["email address", "FIRST_NAME"]));
}
