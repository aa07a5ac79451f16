using Crm.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>An admin adds a webhook endpoint, copies its secret, sends a test event and finds it delivered in the log.</summary>
[Collection(LiveAppCollection.Name)]
public class WebhooksTests(LiveAppFixture app)
{
    [Fact]
    public async Task AnAdmin_AddsAnEndpoint_SendsATestEvent_AndSeesItDeliveredInTheLog()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/admin/webhooks");

        await page.FillAsync("#webhook-url", receiver.Url + "/crm");
        await page.Locator("#webhook-events").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "contact.created" }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("#create-webhook");
        await Expect(page.Locator("#new-webhook-secret-value")).ToContainTextAsync("whsec_");

        var row = page.Locator("#webhooks-table tbody tr").Filter(new() { HasText = receiver.Url });
        await row.Locator(".webhook-test").ClickAsync();
        await Expect(page.Locator("#webhook-log")).ToBeVisibleAsync();
        // Delivered by the app's own delivery loop within seconds; the log is read again until it says so.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(await page.Locator("#webhook-log-table").InnerTextAsync(new() { Timeout = 1000 }).ContinueWith(t => t.IsCompletedSuccessfully && t.Result.Contains("Delivered (200)"))))
        {
            await page.ClickAsync("#webhook-log-refresh");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        await Expect(page.Locator("#webhook-log-table")).ToContainTextAsync("webhook.test");
        await Expect(page.Locator("#webhook-log-table")).ToContainTextAsync("Delivered (200)");
        Assert.Contains(receiver.Requests, r => r.Body.Contains("\"type\":\"webhook.test\"", StringComparison.Ordinal));
    }
}
