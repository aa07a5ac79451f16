using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>Create, edit and delete through the dialogs, as an admin clicks through them.</summary>
[Collection(LiveAppCollection.Name)]
public class RecordLifecycleTests(LiveAppFixture app)
{
    [Fact]
    public async Task Admin_CreatesAnAccountAndContact_EditsWithHistory_ManagesTasks_AndDeletes()
    {
        var page = await app.Browser.NewPageAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/accounts");

        // A new account.
        await page.ClickAsync("#new-account");
        await page.FillAsync("#account-name", $"Analytical Engines {suffix}");
        await page.FillAsync("#account-domain", $"https://www.engines-{suffix}.example/about");
        await page.ClickAsync("#account-save");
        await Expect(page.Locator("#account-name-title")).ToHaveTextAsync($"Analytical Engines {suffix}");
        await Expect(page.Locator("body")).ToContainTextAsync($"engines-{suffix}.example");

        // A contact at that account, with a validation message first.
        await page.ClickAsync("text=Add contact");
        await page.ClickAsync("#contact-save");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Enter a first name, a last name or an email.");
        await page.FillAsync("#contact-first-name", "Charles");
        await page.FillAsync("#contact-last-name", $"Babbage{suffix}");
        await page.FillAsync("#contact-email", $"charles.{suffix}@engines.example");
        await page.ClickAsync("#contact-save");
        await Expect(page.Locator("#account-contacts")).ToContainTextAsync($"Charles Babbage{suffix}");

        // Edit it: the change shows in the history, field by field.
        await page.ClickAsync($"#account-contacts a:has-text('Babbage{suffix}')");
        await Expect(page.Locator("#contact-name")).ToHaveTextAsync($"Charles Babbage{suffix}");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#edit-contact");
        await page.FillAsync("#contact-phone", "+44 20 7946 0000");
        // Left by Tab, as a person moving on to the next field does; the dialog must then close with the change saved.
        await page.PressAsync("#contact-phone", "Tab");
        await page.SaveDialogAsync("#contact-save");
        await Expect(page.Locator("#contact-details")).ToContainTextAsync("+44 20 7946 0000");
        await page.ClickAsync("text=History");
        await Expect(page.Locator("#history-table")).ToContainTextAsync("Phone");
        await Expect(page.Locator("#history-table")).ToContainTextAsync("+44 20 7946 0000");
        await Expect(page.Locator("#history-table")).ToContainTextAsync("Avery Admin");

        // A task: add it, tick it off.
        await page.ClickAsync("text=Activity");
        await page.ClickAsync("text=Task");
        await page.FillAsync("#task-title", "Send the difference engine brochure");
        await page.ClickAsync("#save-task");
        var task = page.Locator("#timeline .timeline-entry[data-type=task]", new PageLocatorOptions { HasText = "difference engine brochure" });
        await Expect(task).ToBeVisibleAsync();
        await task.Locator(".task-done input").CheckAsync();
        await Expect(task.Locator("[style*=line-through]")).ToBeVisibleAsync();

        // Delete the contact: back to the list, and its page is gone.
        var contactUrl = page.Url;
        await page.ClickAsync("#delete-contact");
        await page.ClickAsync("#confirm");
        await Expect(page).ToHaveURLAsync(new Regex("/contacts$"));
        await page.GotoAsync(contactUrl);
        await Expect(page.Locator("body")).ToContainTextAsync("This contact does not exist");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_AddsAnAccountCustomField_FillsItOnAnAccount_AndAfterRemovingTheFieldTheValueStays()
    {
        var page = await app.Browser.NewPageAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/admin/custom-fields");

        // The accounts' tab: its own (empty or not) list, kept in the address.
        await page.ClickAsync(".mud-tab:has-text('Accounts')");
        await Expect(page).ToHaveURLAsync(new Regex("type=account"));
        await Expect(page.Locator("#new-custom-field")).ToContainTextAsync("New field of accounts");
        await page.FillAsync("#custom-field-label", $"Tier {suffix}");
        await page.ClickAsync("#add-custom-field");
        await Expect(page.Locator("#custom-fields-table")).ToContainTextAsync($"tier_{suffix}");
        // Not a contacts' field.
        await page.ClickAsync(".mud-tab:has-text('Contacts')");
        await Expect(page.Locator("#new-custom-field")).ToContainTextAsync("New field of contacts");
        await Expect(page.Locator("body")).Not.ToContainTextAsync($"tier_{suffix}");

        await page.GotoAsync($"{app.Web.BaseUrl}/accounts");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#new-account");
        await page.FillAsync("#account-name", $"Tiered {suffix}");
        await page.FillAsync($"#custom-tier_{suffix}", "Gold");
        await page.ClickAsync("#account-save");
        await Expect(page.Locator("#account-name-title")).ToHaveTextAsync($"Tiered {suffix}");
        // Edit again: the "saved" message does not cover the page's Edit and Delete buttons — nor would a longer one,
        // which grows downwards: it is neither over them nor above them in their column.
        await page.ClickAsync("#edit-account");
        await page.ClickAsync("#account-save");
        var message = page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Account saved." });
        await Expect(message).ToBeVisibleAsync();
        var box = await message.BoundingBoxAsync();
        foreach (var button in new[] { "#edit-account", "#delete-account" })
        {
            var other = await page.Locator(button).BoundingBoxAsync();
            Assert.False(box!.X < other!.X + other.Width && other.X < box.X + box.Width && box.Y < other.Y + other.Height,
                $"The message at {box.X},{box.Y} ({box.Width}×{box.Height}) covers or sits above {button} at {other.X},{other.Y}");
        }
        var details = page.Locator(".crm-field-label", new PageLocatorOptions { HasText = $"Tier {suffix}" }).Locator("..");
        await Expect(details).ToContainTextAsync("Gold");
        var accountUrl = page.Url;

        // Removing the field keeps the value on the account (shown under its key) until the field comes back.
        await page.GotoAsync($"{app.Web.BaseUrl}/admin/custom-fields?type=account");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync($"[aria-label='Remove Tier {suffix}']");
        await page.ClickAsync("#confirm");
        await Expect(page.Locator("body")).Not.ToContainTextAsync($"tier_{suffix}");
        await page.GotoAsync(accountUrl);
        await Expect(page.Locator(".crm-field-label", new PageLocatorOptions { HasText = $"tier_{suffix}" }).Locator("..")).ToContainTextAsync("Gold");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_CreatesADealFromTheBoard_InTheChosenStage()
    {
        var page = await app.Browser.NewPageAsync();
        var name = $"Board deal {Guid.NewGuid():N}"[..20];
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/deals/board");

        await page.ClickAsync("[aria-label='New deal in Negotiation']");
        await page.FillAsync("#deal-name", name);
        await page.FillAsync("#deal-amount", "12500");
        await page.ClickAsync("#deal-save");

        var column = page.Locator(".crm-board-column[data-stage='Negotiation']");
        await Expect(column).ToContainTextAsync(name);
        var card = column.Locator(".deal-card", new LocatorLocatorOptions { HasText = name });
        await Expect(card).ToContainTextAsync("USD 12,500");

        // Drag it back to Proposal: the deal moves, and its probability follows the stage.
        var proposal = page.Locator(".crm-board-column[data-stage='Proposal']");
        // Dropped near the zone's top: a tall column's centre may be below the window, and Playwright's scroll to it
        // while the button is down would start the drag from whichever card is then under the pointer.
        await card.DragToAsync(proposal.Locator(".crm-board-zone"), new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 20, Y = 8 } });
        await Expect(proposal).ToContainTextAsync(name);
        await Expect(column).Not.ToContainTextAsync(name);

        // Without dragging: the card's move button (reached and pressed from the keyboard) and a stage in its dialog.
        await page.Locator($"[aria-label='Move {name} to another stage']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.Locator(".mud-dialog", new PageLocatorOptions { HasText = $"Move '{name}'" });
        await Expect(dialog.Locator("[data-stage='Proposal']")).ToBeDisabledAsync();
        await dialog.Locator("[data-stage='Closed won']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var won = page.Locator(".crm-board-column[data-stage='Closed won']");
        await Expect(won).ToContainTextAsync(name);
        await Expect(proposal).Not.ToContainTextAsync(name);

        // The stages beyond the window's edge are named above the board, and each brings its column into view.
        // (Other tests may add stages to the pipeline: the last one is whichever it is now.)
        await page.SetViewportSizeAsync(1280, 800);
        var stages = await page.Locator(".crm-board-column").CountAsync();
        await Expect(page.Locator("#board-stages")).ToContainTextAsync($"{stages} stages");
        var last = await page.Locator(".crm-board-column").Last.GetAttributeAsync("data-stage");
        await page.Locator("#board-stages button").Last.ClickAsync();
        await Expect(page.Locator($".crm-board-column[data-stage='{last}'] .crm-board-heading")).ToBeFocusedAsync();
        await Expect(page.Locator($".crm-board-column[data-stage='{last}'] h2")).ToBeInViewportAsync();

        await won.Locator($"a:has-text('{name}')").ClickAsync();
        await Expect(page.Locator("#deal-name-title")).ToHaveTextAsync(name);
        await Expect(page.Locator("body")).ToContainTextAsync("Closed won · 100%");
        await page.Context.CloseAsync();
    }
}
