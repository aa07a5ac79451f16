using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>
/// Three everyday tasks done with the keyboard alone — no clicks: sign in; open a contact and add a note; start a test
/// import. Each step reaches its control by Tab (and Shift+Tab), as a keyboard user does.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class KeyboardOnlyTests(LiveAppFixture app)
{
    [Fact]
    public async Task SignIn_AddANote_AndTestAnImport_WithTheKeyboardAlone()
    {
        var page = await app.Browser.NewPageAsync();
        // Listening from the start turns Chromium's file-chooser interception on well before Space is pressed (turned on
        // at the press, a busy machine could open the chooser before the interception was in place, and it went unseen).
        var chooserOpened = new TaskCompletionSource<IFileChooser>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.FileChooser += (_, chooser) => chooserOpened.TrySetResult(chooser);
        var file = Path.Combine(Path.GetTempPath(), $"keyboard-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Email,First Name\nkeyboard.one@example.com,One\n", TestContext.Current.CancellationToken);
        try
        {
            // Sign in: the email field has the focus, Tab to the password, Enter submits.
            await page.GotoAsync($"{app.Web.BaseUrl}/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await TabToAsync(page, "#email");
            await page.Keyboard.TypeAsync("admin@example.com");
            await TabToAsync(page, "#password");
            await page.Keyboard.TypeAsync("admin-password-1");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(url => !url.Contains("/account/login"));
            await page.WaitForInteractiveAsync();

            // After a navigation the focus is on the page's heading; from the top of a page, the first tab stop skips the menu.
            await Expect(page.Locator("h1")).ToBeFocusedAsync();
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>(
                "() => document.querySelector('a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex=\"-1\"])').textContent.trim()"));

            // Open a contact from the list and add a note.
            await TabToAsync(page, "#nav-contacts");
            await page.Keyboard.PressAsync("Enter");
            await ArriveAsync(page, "/contacts$", "#contacts-grid .contact-link");
            await TabToAsync(page, "#contacts-grid .contact-link");
            await page.Keyboard.PressAsync("Enter");
            await ArriveAsync(page, @"/contacts/\d+$", "#note-body");
            await TabToAsync(page, "#note-body");
            var note = $"Typed without a mouse {Guid.NewGuid():N}";
            await page.Keyboard.TypeAsync(note);
            await TabToAsync(page, "#save-note");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#timeline .note-body", new PageLocatorOptions { HasText = note })).ToBeVisibleAsync();

            // Start a test import: the menu, New import, the file (the chooser opens from the keyboard), Test import.
            await TabToAsync(page, "#nav-imports", backwards: true);
            await page.Keyboard.PressAsync("Enter");
            await ArriveAsync(page, "/imports$", "#new-import");
            await TabToAsync(page, "#new-import");
            await page.Keyboard.PressAsync("Enter");
            await ArriveAsync(page, "/imports/new", "#import-file");
            var chooser = await OpenTheFileChooserAsync(page, chooserOpened.Task);
            await chooser.SetFilesAsync(file);
            await Expect(page.Locator("#row-count")).ToHaveTextAsync("1 row", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
            await TabToAsync(page, "#dry-run");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#would-create")).ToHaveTextAsync("1 would be created", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
            // Said to screen readers too, not only shown.
            await Expect(page.Locator("#import-announcer")).ToContainTextAsync("Test finished: 1 would be created");
            await TabToAsync(page, "#discard");
            await page.Keyboard.PressAsync("Enter");
            // A dialog takes the keyboard: Escape closes it, and nothing was discarded.
            await Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
            // The dialog has the focus (its first control), so the keyboard acts in it.
            await Expect(page.Locator(".mud-dialog-container :focus")).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            await Expect(page.Locator("#row-count")).ToBeVisibleAsync();
        }
        finally
        {
            File.Delete(file);
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// After a link within the app the address changes before the new page is drawn (and a busy machine draws late):
    /// a person waits to see the page, so the test waits for one of its controls before pressing keys on it.
    /// </summary>
    private static async Task ArriveAsync(IPage page, string url, string readySelector)
    {
        await Expect(page).ToHaveURLAsync(new Regex(url));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator(readySelector).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 });
    }

    /// <summary>
    /// Tab to the file input and press Space, as a person does; a person who sees nothing open presses again, so the test
    /// does too (a press on a page still being wired up by Blazor can be lost).
    /// </summary>
    private static async Task<IFileChooser> OpenTheFileChooserAsync(IPage page, Task<IFileChooser> opened)
    {
        for (var attempt = 1; ; attempt++)
        {
            await TabToAsync(page, "#import-file");
            await page.Keyboard.PressAsync("Space");
            try
            {
                return await opened.WaitAsync(TimeSpan.FromSeconds(attempt < 3 ? 7 : 20), TestContext.Current.CancellationToken);
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the element matching <paramref name="selector"/> has the focus — and still has it
    /// a moment later, as a person sees it before pressing Enter (a page still drawing may move the focus once more).
    /// </summary>
    private static async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        const string isFocused = "s => { const f = document.activeElement; return !!f && (f.matches(s) || !!f.closest(s)); }";
        for (var i = 0; i < 150; i++)
        {
            if (await page.EvaluateAsync<bool>(isFocused, selector))
            {
                await page.WaitForTimeoutAsync(150);
                if (await page.EvaluateAsync<bool>(isFocused, selector)) return;
                continue;
            }
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200) ?? 'nothing'");
        Assert.Fail($"{selector} was not reached by {(backwards ? "Shift+Tab" : "Tab")} within 150 presses; the focus is on {focused}");
    }
}
