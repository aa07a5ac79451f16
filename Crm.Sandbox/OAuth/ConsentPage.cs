using System.Net;
using System.Text;

namespace Crm.Sandbox.OAuth;

/// <summary>
/// The consent page every stand-in shows: who signs in (an editable account, prefilled), what the app asks for, and
/// Allow (#grant) / Cancel (#deny) buttons a browser test clicks. Every query parameter rides along as a hidden field.
/// </summary>
public static class ConsentPage
{
    public static IResult Render(HttpRequest request, string decisionPath, string brand, string color, string account, string scopes)
    {
        var hidden = new StringBuilder();
        foreach (var (key, value) in request.Query)
            if (key != "account") hidden.Append($"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(key)}\" value=\"{WebUtility.HtmlEncode(value.ToString())}\">");
        var list = string.Concat(scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => $"<li>{WebUtility.HtmlEncode(s)}</li>"));
        return Results.Content($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in — {{WebUtility.HtmlEncode(brand)}} sandbox</title>
            <style>body{font-family:system-ui,sans-serif;background:#f4f4f4;display:flex;justify-content:center;padding-top:8vh}
            main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 10px #0002;width:min(480px,92vw)}
            input[type=email]{width:100%;padding:.5rem;margin:.3rem 0 1rem}
            button{padding:.7rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #ccc;cursor:pointer}#grant{background:{{color}};color:#fff;border:none}</style></head>
            <body><main><h1>{{WebUtility.HtmlEncode(brand)}}</h1>
            <form method="post" action="{{request.PathBase}}{{decisionPath}}">{{hidden}}
            <label for="account">Account</label><input type="email" id="account" name="account" value="{{WebUtility.HtmlEncode(account)}}" required>
            <p>The app asks to:</p><ul>{{list}}</ul>
            <button type="submit" name="decision" value="grant" id="grant">Allow</button>
            <button type="submit" name="decision" value="deny" id="deny">Cancel</button></form></main></body></html>
            """, "text/html; charset=utf-8");
    }

    public static IResult Error(string title, string text, HttpStatusCode status) =>
        Results.Content($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>",
            "text/html; charset=utf-8", Encoding.UTF8, (int)status);
}
