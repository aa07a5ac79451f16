using Crm.Core.Common;
using Crm.Core.Imports;

namespace Crm.Tests.Core.Imports;

/// <summary>The seed's validation rules as a row meets them: required, format, length, picklist, duplicates in the file, and the mapping's own rules.</summary>
public class ImportValidationTests
{
    private static ImportRecord Map(RecordType type, string[] headers, string?[] values, Func<ColumnMapping, ColumnMapping>? adjust = null, ImportOptions? options = null, int line = 2)
    {
        var fields = ImportFields.For(type, []);
        var mapping = HeaderMatcher.Suggest(headers, fields);
        if (adjust is not null) mapping = mapping with { Columns = mapping.Columns.Select(adjust).ToList() };
        return new RowMapper(type, fields, mapping, options ?? new ImportOptions()).Map(new SourceRow(line - 1, line, values));
    }

    [Fact]
    public void Contact_WithoutFirstNameLastNameOrEmail_IsRequiredError()
    {
        var record = Map(RecordType.Contact, ["First Name", "Email", "Job Title"], [" ", "", "Engineer"]);

        var issue = Assert.Single(record.Issues);
        Assert.Equal((ImportErrorType.Required, "A contact needs a first name, a last name or an email."), (issue.Type, issue.Message));
    }

    [Theory]
    [InlineData("Ada", null)]
    [InlineData(null, "ada@example.com")]
    public void Contact_WithAFirstNameOrAnEmail_IsEnough(string? first, string? email) =>
        Assert.False(Map(RecordType.Contact, ["First Name", "Email"], [first, email]).Failed);

    [Fact]
    public void Account_WithoutName_AndDeal_WithoutName_AreRequiredErrors()
    {
        Assert.Equal("An account needs a name.", Assert.Single(Map(RecordType.Account, ["Name", "Industry"], ["", "Software"]).Issues).Message);
        Assert.Equal("A deal needs a name.", Assert.Single(Map(RecordType.Deal, ["Deal Name", "Amount"], ["", "100"]).Issues).Message);
    }

    [Fact]
    public void FormatErrors_KeepTheColumn_TheValueAsWritten_AndTheType()
    {
        var record = Map(RecordType.Contact, ["Email", "Phone Number", "LinkedIn URL"], ["ada(at)example.com", "call me", "javascript:alert(1)"]);

        Assert.Equal(
            [("Email", "ada(at)example.com", ImportErrorType.Format), ("Phone Number", "call me", ImportErrorType.Format), ("LinkedIn URL", "javascript:alert(1)", ImportErrorType.Format)],
            record.Issues.Select(i => (i.Column!, i.Value!, i.Type)));
    }

    [Fact]
    public void ValueLongerThanItsField_IsALengthError()
    {
        var record = Map(RecordType.Contact, ["First Name"], [new string('a', 300)]);

        var issue = Assert.Single(record.Issues, i => i.Type == ImportErrorType.Length);
        Assert.Contains("at most", issue.Message);
        Assert.Equal(300, issue.Value!.Length);
    }

    [Fact]
    public void UnknownPicklistValue_IsAPicklistError_UntilItIsMapped()
    {
        Assert.Equal(ImportErrorType.Picklist, Assert.Single(Map(RecordType.Contact, ["Email", "Lifecycle Stage"], ["a@example.com", "Partner"]).Issues).Type);

        var mapped = Map(RecordType.Contact, ["Email", "Lifecycle Stage"], ["a@example.com", "Partner"],
            c => c.Field == "lifecycle" ? c with { ValueMap = new() { ["Partner"] = "customer" } } : c);
        Assert.False(mapped.Failed);
        Assert.Equal(Crm.Core.Contacts.Lifecycle.Customer, mapped.Values["Lifecycle"]);
    }

    [Fact]
    public void NulCharacter_InAValue_IsAFormatError()
    {
        var record = Map(RecordType.Contact, ["Email", "First Name"], ["a@example.com", "Ad\0a"]);

        var issue = Assert.Single(record.Issues);
        Assert.Equal(("Ad\\0a", ImportErrorType.Format), (issue.Value, issue.Type));
    }

    [Fact]
    public void ARaggedRow_IsARowError()
    {
        var fields = ImportFields.For(RecordType.Contact, []);
        var mapper = new RowMapper(RecordType.Contact, fields, HeaderMatcher.Suggest(["Email"], fields), new ImportOptions());

        var record = mapper.Map(new SourceRow(1, 2, ["a@example.com", "extra"], "The row has 2 values but the header has 1 columns."));

        Assert.Equal(ImportErrorType.Row, Assert.Single(record.Issues).Type);
    }

    [Fact]
    public void DuplicateKeysInTheFile_TheLaterRowIsRefused_NamingTheLineOfTheFirst()
    {
        var duplicates = new InFileDuplicates("email");
        var first = Map(RecordType.Contact, ["Email"], ["Ada@Example.com"], line: 2);
        var second = Map(RecordType.Contact, ["Email"], ["ada@example.com "], line: 7);
        var other = Map(RecordType.Contact, ["Email"], ["grace@example.com"], line: 8);

        foreach (var record in new[] { first, second, other }) duplicates.Check(record);

        Assert.False(first.Failed);
        Assert.Equal((ImportErrorType.Duplicate, "Same email as line 2 of this file."), (Assert.Single(second.Issues).Type, second.Issues[0].Message));
        Assert.False(other.Failed);
    }

    [Fact]
    public void FullName_FillsOnlyWhatExplicitNameColumnsLeaveEmpty()
    {
        var record = Map(RecordType.Contact, ["Name", "Given Name", "Family Name"], ["Dr. Ada Lovelace", "Augusta Ada", ""]);

        Assert.Equal(("Augusta Ada", "Lovelace"), (record.Values["FirstName"], record.Values["LastName"]));
    }

    [Fact]
    public void GooglesSeveralValuesInOneCell_AreSplit()
    {
        var record = Map(RecordType.Contact, ["E-mail 1 - Value", "E-mail 2 - Value"], ["ada@example.com ::: countess@example.com", "ada@work.example"]);

        Assert.Equal("ada@example.com", record.Values["Email"]);
        Assert.Equal(["ada@work.example"], (List<string>)record.Values["AdditionalEmails"]!);
    }

    [Fact]
    public void MappingRules_RefuseAFieldMappedTwice_AnUnknownField_AndNoNameForAContact()
    {
        var fields = ImportFields.For(RecordType.Contact, []);
        var mapping = new ImportMapping
        {
            Columns =
            [
                new ColumnMapping { Index = 0, Header = "Job", Field = "jobTitle" },
                new ColumnMapping { Index = 1, Header = "Title", Field = "jobTitle" },
                new ColumnMapping { Index = 2, Header = "Colour", Field = "favouriteColour" },
            ],
        };

        var error = Assert.Throws<ValidationFailedException>(() => ImportMappingRules.Validate(RecordType.Contact, 3, fields, mapping, new ImportOptions()));

        var messages = error.Errors["Mapping"];
        Assert.Contains(messages, m => m.Contains("mapped from several columns (Job, Title)"));
        Assert.Contains(messages, m => m.Contains("'favouriteColour', which is not a field of contacts"));
        Assert.Contains(messages, m => m.Contains("a contact needs at least one of them"));
    }

    [Fact]
    public void MappingRules_AllowANamesOnlyFile_ButNotUpdateOnlyWithoutTheMatchColumn()
    {
        var fields = ImportFields.For(RecordType.Contact, []);
        var mapping = HeaderMatcher.Suggest(["First Name", "Last Name"], fields);

        ImportMappingRules.Validate(RecordType.Contact, 2, fields, mapping, new ImportOptions { Strategy = DuplicateStrategy.Update });
        var error = Assert.Throws<ValidationFailedException>(() =>
            ImportMappingRules.Validate(RecordType.Contact, 2, fields, mapping, new ImportOptions { Strategy = DuplicateStrategy.UpdateOnly }));
        Assert.Contains("needs a column mapped to Email", error.Errors[nameof(ImportOptions.MatchField)].Single());
    }

    [Theory]
    [InlineData("ZZ", nameof(ImportOptions.DefaultPhoneCountry))]
    [InlineData("US", nameof(ImportOptions.DryRunRows))]
    public void MappingRules_CheckTheOptions(string country, string key)
    {
        var fields = ImportFields.For(RecordType.Contact, []);
        var mapping = HeaderMatcher.Suggest(["Email"], fields);
        var options = new ImportOptions { DefaultPhoneCountry = country, DryRunRows = key == nameof(ImportOptions.DryRunRows) ? 5000 : 100 };

        var error = Assert.Throws<ValidationFailedException>(() => ImportMappingRules.Validate(RecordType.Contact, 1, fields, mapping, options));

        Assert.True(error.Errors.ContainsKey(key));
    }

    [Fact]
    public void MappingRules_RefuseAnUnknownCulture_AndCountryPerColumn()
    {
        var fields = ImportFields.For(RecordType.Deal, []);
        var mapping = new ImportMapping
        {
            Columns =
            [
                new ColumnMapping { Index = 0, Header = "Deal", Field = "name" },
                new ColumnMapping { Index = 1, Header = "Value", Field = "amount", NumberCulture = "xx-NOPE" },
            ],
        };

        var error = Assert.Throws<ValidationFailedException>(() => ImportMappingRules.Validate(RecordType.Deal, 2, fields, mapping, new ImportOptions { Strategy = DuplicateStrategy.CreateNew }));

        Assert.Contains(error.Errors["Mapping"], m => m.Contains("'xx-NOPE' is not a known culture"));
    }
}
