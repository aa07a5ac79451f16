using Crm.Core.Accounts;
using Crm.Core.ApiKeys;
using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Timeline;

namespace Crm.Tests.Core;

public class DomainRulesTests
{
    [Theory]
    [InlineData("https://www.Acme.com/about", "acme.com")]
    [InlineData("ACME.COM", "acme.com")]
    [InlineData("sales@acme.co.uk", "acme.co.uk")]
    [InlineData("http://shop.acme.com:8080?x=1", "shop.acme.com")]
    [InlineData("  ", null)]
    public void Domains_Normalize_KeepsTheBareHost(string input, string? expected) =>
        Assert.Equal(expected, Domains.Normalize(input));

    [Theory]
    [InlineData("acme.com", true)]
    [InlineData("acme", false)]
    [InlineData("acme..com", false)]
    [InlineData("-acme.com", false)]
    public void Domains_IsValid_AcceptsHostNamesOnly(string domain, bool valid) => Assert.Equal(valid, Domains.IsValid(domain));

    [Fact]
    public void AccountInput_WithoutName_IsRefused()
    {
        var errors = InputValidation.Collect(new AccountInput { Domain = "acme.com" });

        Assert.Equal(["Enter the company name."], errors[nameof(AccountInput.Name)]);
    }

    [Fact]
    public void DealInput_WithBadCurrencyAndThreeDecimals_ReportsBoth()
    {
        var errors = InputValidation.Collect(new DealInput { Name = "Deal", Currency = "EURO", Amount = 10.123m });

        Assert.Contains(nameof(DealInput.Currency), errors.Keys);
        Assert.Contains(nameof(DealInput.Amount), errors.Keys);
    }

    [Fact]
    public void ActivityInput_Note_NeedsABodyAndALink()
    {
        var errors = InputValidation.Collect(new ActivityInput { Type = ActivityType.Note });

        Assert.Equal(["Write the note."], errors[nameof(ActivityInput.Body)]);
        Assert.Equal(["Link the activity to a contact, an account or a deal."], errors[nameof(ActivityInput.ContactId)]);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void Messages_WriteTheirNumbersTheSame_WhateverTheServersCulture(string culture)
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
        try
        {
            var errors = InputValidation.Collect(new ActivityInput { Type = ActivityType.Note, ContactId = 1, Body = new string('a', FieldLimits.Body + 1) });

            Assert.Equal(["A note can be at most 10,000 characters."], errors[nameof(ActivityInput.Body)]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void ActivityInput_MeetingEndingBeforeItStarts_IsRefused()
    {
        var start = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var input = new ActivityInput { Type = ActivityType.Meeting, ContactId = 1, Title = "Demo", StartTime = start, EndTime = start.AddHours(-1) };

        Assert.Equal(["The meeting cannot end before it starts."], InputValidation.Collect(input)[nameof(ActivityInput.EndTime)]);
    }

    [Fact]
    public void ActivityInput_EmailWithoutRecipients_IsRefused()
    {
        var input = new ActivityInput { Type = ActivityType.Email, ContactId = 1, From = "me@example.com" };

        Assert.Equal(["Enter at least one recipient."], InputValidation.Collect(input)[nameof(ActivityInput.To)]);
    }

    [Fact]
    public void ApiKeyFormat_GeneratedKey_MatchesItsHashAndPrefix()
    {
        var (key, prefix, hash) = ApiKeyFormat.Generate();

        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var parsed));
        Assert.Equal(prefix, parsed);
        Assert.True(ApiKeyFormat.Matches(key, hash));
        Assert.False(ApiKeyFormat.Matches(key + "x", hash));
        // The secret is everything after "crm_<prefix>_" (base64url: it may hold '_' itself).
        Assert.DoesNotContain(key[$"crm_{prefix}_".Length..], hash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("crm_short")]
    [InlineData("crm_0123456789abcdef_xyz")]
    public void ApiKeyFormat_Malformed_HasNoPrefix(string presented) => Assert.False(ApiKeyFormat.TryGetPrefix(presented, out _));

    [Theory]
    [InlineData(null, "name", false)]
    [InlineData("-updatedAt", "updatedAt", true)]
    [InlineData(" email ", "email", false)]
    public void SortSpec_Parse_ReadsFieldAndDirection(string? sort, string field, bool descending) =>
        Assert.Equal(new SortSpec(field, descending), SortSpec.Parse(sort, "name"));

    [Fact]
    public void Text_ContainsPattern_EscapesLikeWildcards() =>
        Assert.Equal("%50\\%\\_off%", Text.ContainsPattern("50%_off"));

    [Theory]
    [InlineData(CustomFieldType.Number, "1,5", false, null)]
    [InlineData(CustomFieldType.Number, " 12.50 ", true, "12.50")]
    [InlineData(CustomFieldType.Date, "2026-02-30", false, null)]
    [InlineData(CustomFieldType.Date, "2026-02-28", true, "2026-02-28")]
    [InlineData(CustomFieldType.Boolean, "TRUE", true, "true")]
    [InlineData(CustomFieldType.Boolean, "yes", false, null)]
    public void CustomField_Normalize_ChecksItsType(CustomFieldType type, string value, bool ok, string? normalized)
    {
        var definition = new CustomFieldDefinition { Key = "k", Label = "K", Type = type };

        var error = definition.Normalize(value, out var result);

        Assert.Equal(ok, error is null);
        if (ok) Assert.Equal(normalized, result);
    }

    [Theory]
    [InlineData("Preferred language", "preferred_language")]
    [InlineData("2nd phone", "f_2nd_phone")]
    [InlineData("Größe!", "gr_e")]
    public void CustomField_KeyFromLabel_IsAValidKey(string label, string key)
    {
        Assert.Equal(key, CreateCustomFieldHandler.KeyFromLabel(label));
        Assert.True(CustomFieldDefinition.IsValidKey(key));
    }
}
