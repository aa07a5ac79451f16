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
