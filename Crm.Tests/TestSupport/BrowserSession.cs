using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Crm.Web.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Crm.Tests.TestSupport;

/// <summary>
/// A signed-in browser as the server sees it: the sign-in form posted with its antiforgery token, the session cookie
/// kept, and same-origin requests marked as browsers mark them.
/// </summary>
public sealed partial class BrowserSession(HttpClient client, CookieContainer cookies)
{
    public HttpClient Client { get; } = client;

    public static async Task<BrowserSession> SignInAsync(CrmWebFactory factory, string email, string password)
    {
        var (client, cookies) = NewClient(factory);
        var response = await PostSignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || !cookies.GetAllCookies().Any(c => c.Name == CrmClaims.SessionCookie))
            throw new InvalidOperationException($"Sign-in of {email} failed: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new BrowserSession(client, cookies);
    }

    public static (HttpClient Client, CookieContainer Cookies) NewClient(CrmWebFactory factory)
    {
        var cookies = new CookieContainer();
        var client = factory.CreateDefaultClient(factory.ClientOptions.BaseAddress, new CookieHandler(cookies));
        return (client, cookies);
    }

    /// <summary>Posts the sign-in form as the page does; the response is the page (a failure) or a redirect (signed in).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Email"] = email, ["Input.Password"] = password,
        }));
    }

    /// <summary>The claims of this browser's session cookie, as the app reads them.</summary>
    public ClaimsPrincipal Principal(CrmWebFactory factory)
    {
        var value = cookies.GetAllCookies().Single(c => c.Name == CrmClaims.SessionCookie).Value;
        var options = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CrmClaims.CookieScheme);
        return options.TicketDataFormat.Unprotect(value)!.Principal;
    }

    /// <summary>Posts a form of one of the app's static pages (sign-out, workspaces) as the browser does: with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string action, Dictionary<string, string> fields) =>
        await PostFormAsync(action, fields, await TokenAsync(pagePath));

    /// <summary>Posts a form with a token taken earlier (a forged or stale form, as a person keeping an old page would send it).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string action, Dictionary<string, string> fields, string token)
    {
        fields["__RequestVerificationToken"] = token;
        return await Client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of a page of the app, as its forms carry it.</summary>
    public async Task<string> TokenAsync(string pagePath) =>
        WebUtility.HtmlDecode(AntiforgeryToken().Match(await Client.GetStringAsync(pagePath)).Groups[1].Value);

    /// <summary>A request the app's own page would make: the browser says it is same-origin.</summary>
    public HttpRequestMessage SameOrigin(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return request;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>Keeps cookies like a browser (the test server's handler does not follow Set-Cookie on its own here).</summary>
    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri!;
            var header = cookies.GetCookieHeader(uri);
            if (header.Length > 0) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set) cookies.SetCookies(uri, cookie);
            return response;
        }
    }
}
