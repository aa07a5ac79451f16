using Crm.Core.Common;
using Crm.Core.Contacts;

namespace Crm.Tests.Core;

public class ContactInputTests
{
    [Fact]
    public void Validate_WithoutNameOrEmail_RequiresAnIdentifier()
    {
        var errors = InputValidation.Collect(new ContactInput { JobTitle = "CEO" });

        Assert.Equal(["Enter a first name, a last name or an email."], errors[nameof(ContactInput.FirstName)]);
        Assert.True(errors.ContainsKey(nameof(ContactInput.Email)));
    }

    [Theory]
    [InlineData("Ada")]
    [InlineData(null)]
    public void Validate_WithOneIdentifier_IsValid(string? firstName)
    {
        var input = new ContactInput { FirstName = firstName, Email = firstName is null ? "ada@example.com" : null };

        Assert.Empty(InputValidation.Collect(input));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a b@example.com")]
    [InlineData("ada@example")]
    [InlineData("@example.com")]
    public void Validate_WithMalformedEmail_ReportsTheEmailField(string email)
    {
        var errors = InputValidation.Collect(new ContactInput { Email = email });

        Assert.Equal(["Enter a valid email address, like name@example.com."], errors[nameof(ContactInput.Email)]);
    }

    [Theory]
    [InlineData("+44 20 7946 0958", true)]
    [InlineData("(555) 123-4567", true)]
    [InlineData("call me", false)]
    [InlineData("12", false)]
    public void Validate_Phone_FollowsTheSeedRule(string phone, bool valid)
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", Phone = phone });

        Assert.Equal(valid, !errors.ContainsKey(nameof(ContactInput.Phone)));
    }

    [Theory]
    [InlineData("https://www.linkedin.com/in/ada", true)]
    [InlineData("http://example.com", true)]
    [InlineData("www.linkedin.com/in/ada", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("ftp://example.com", false)]
    public void Validate_LinkedInUrl_MustBeHttp(string url, bool valid)
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", LinkedInUrl = url });

        Assert.Equal(valid, !errors.ContainsKey(nameof(ContactInput.LinkedInUrl)));
    }

    [Fact]
    public void Validate_OverlongFirstName_IsRefusedWithTheLimit()
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = new string('x', FieldLimits.Name + 1) });

        Assert.Contains(nameof(ContactInput.FirstName), errors.Keys);
        Assert.Contains("100", errors[nameof(ContactInput.FirstName)][0]);
    }

    [Fact]
    public void Validate_LeadScoreOutOfRange_IsRefused()
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", LeadScore = 1001 });

        Assert.Equal(["Lead score must be between 0 and 1000."], errors[nameof(ContactInput.LeadScore)]);
    }

    [Fact]
    public void Validate_UndefinedLifecycle_IsRefused()
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", Lifecycle = (Lifecycle)42 });

        Assert.Contains(nameof(ContactInput.Lifecycle), errors.Keys);
    }

    [Fact]
    public void Validate_TooManyAdditionalEmails_IsRefused()
    {
        var emails = Enumerable.Range(0, FieldLimits.MaxAdditionalEmails + 1).Select(i => $"a{i}@example.com").ToList();

        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", AdditionalEmails = emails });

        Assert.Contains(nameof(ContactInput.AdditionalEmails), errors.Keys);
    }

    [Fact]
    public void Validate_AdditionalEmailMalformed_IsRefused()
    {
        var errors = InputValidation.Collect(new ContactInput { FirstName = "A", AdditionalEmails = ["ok@example.com", "nope"] });

        Assert.Contains(nameof(ContactInput.AdditionalEmails), errors.Keys);
    }
}
