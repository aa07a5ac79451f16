using Bunit;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Users;
using Crm.Web.Components.Pages.Contacts;

namespace Crm.Tests.Web.Components;

public class ContactFormTests : ComponentTestContext
{
    private readonly List<ContactInput> _saved = [];

    private IRenderedComponent<ContactForm> RenderForm(ContactInput model, Func<ContactInput, Task>? save = null) =>
        RenderWithProviders<ContactForm>(p => p
            .Add(f => f.Model, model)
            .Add(f => f.Owners, [new UserOption(7, "Riley Rep", "rep@example.com")])
            .Add(f => f.Save, save ?? (input => { _saved.Add(input); return Task.CompletedTask; })));

    /// <summary>Types like a person: fields that update as you type listen to input, the others to change.</summary>
    private static void Type(IRenderedComponent<ContactForm> form, string id, string value)
    {
        try
        {
            form.Find($"#{id}").Input(value);
        }
        catch (MissingEventHandlerException)
        {
            form.Find($"#{id}").Change(value);
        }
    }

    [Fact]
    public void Submit_Empty_ShowsTheIdentifierRuleAndDoesNotSave()
    {
        var form = RenderForm(new ContactInput());

        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("Enter a first name, a last name or an email.", form.Markup));
        Assert.Empty(_saved);
    }

    [Fact]
    public void Submit_WithMalformedEmailAndLinkedIn_ShowsBothMessagesNextToTheFields()
    {
        var form = RenderForm(new ContactInput { FirstName = "Ada" });
        Type(form, "contact-email", "ada-at-example");
        Type(form, "contact-linkedin", "linkedin.com/in/ada");

        form.Find("form").Submit();

        form.WaitForAssertion(() =>
        {
            Assert.Contains("Enter a valid email address, like name@example.com.", form.Markup);
            Assert.Contains("Enter a full web address starting with http:// or https://.", form.Markup);
        });
        Assert.Empty(_saved);
    }

    [Fact]
    public void Submit_Valid_SavesTheTypedValues()
    {
        var form = RenderForm(new ContactInput());
        Type(form, "contact-first-name", "Ada");
        Type(form, "contact-email", "ada@example.com");

        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Single(_saved));
        Assert.Equal("Ada", _saved[0].FirstName);
        Assert.Equal("ada@example.com", _saved[0].Email);
        Assert.DoesNotContain("Enter a first name", form.Markup);
    }

    /// <summary>
    /// Typing and clicking Save without leaving the field: the value must already be on the model. A field that
    /// commits only on change (blur) can lose it — MudBlazor does not order that change before the click (its #13011),
    /// which lost a phone number typed just before Save.
    /// </summary>
    [Fact]
    public void Submit_RightAfterTypingInEachField_SavesWhatWasTyped()
    {
        var form = RenderForm(new ContactInput());
        var fields = form.FindAll("input[type=text], input[type=email], input:not([type]), textarea").Where(e => !e.HasAttribute("readonly")).ToList();
        Assert.True(fields.Count >= 10, $"only {fields.Count} text fields found");
        // Input alone, never change: a field listening only to change throws here.
        foreach (var field in fields) field.Input(field.GetAttribute("value") ?? "");
        form.Find("#contact-email").Input("ada@example.com");
        form.Find("#contact-phone").Input("+44 20 7946 0000");
        form.Find("#contact-linkedin").Input("https://www.linkedin.com/in/ada");

        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Single(_saved));
        Assert.Equal("+44 20 7946 0000", _saved[0].Phone);
        Assert.Equal("https://www.linkedin.com/in/ada", _saved[0].LinkedInUrl);
        Assert.Equal("ada@example.com", _saved[0].Email);
    }

    [Fact]
    public void Submit_WhenTheServerRefusesAField_ShowsItsMessage()
    {
        var form = RenderForm(new ContactInput { FirstName = "Ada" },
            _ => throw new ValidationFailedException(nameof(ContactInput.Email), "A contact with this email already exists."));

        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("A contact with this email already exists.", form.Markup));
    }

    [Fact]
    public void Submit_WhenSomeoneElseChangedTheContact_SaysSo()
    {
        var form = RenderForm(new ContactInput { FirstName = "Ada" }, _ => throw new ConcurrencyConflictException("Contact", 1, 3));

        form.Find("form").Submit();

        form.WaitForAssertion(() => Assert.Contains("Someone else changed this record in the meantime", form.Markup));
    }
}
