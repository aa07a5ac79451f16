using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Crm.Core.Email;
using Ganss.Xss;

namespace Crm.Infrastructure.Email;

/// <summary>
/// Email HTML made safe to show inside the app: HtmlSanitizer's allow-list (no scripts, event handlers, forms, frames,
/// javascript: or data: links, no style sheets) minus CSS that loads URLs; links open in a new tab without a referrer.
/// </summary>
public sealed partial class HtmlBodySanitizer : IEmailBodySanitizer
{
    private readonly HtmlSanitizer _sanitizer;
    private static readonly HtmlParser Parser = new();

    public HtmlBodySanitizer()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "tel", "cid" }) _sanitizer.AllowedSchemes.Add(scheme);
        _sanitizer.AllowedTags.Remove("form");
        _sanitizer.AllowedTags.Remove("input");
        _sanitizer.AllowedTags.Remove("button");
        _sanitizer.AllowedTags.Remove("textarea");
        _sanitizer.AllowedTags.Remove("select");
        _sanitizer.AllowedAtRules.Clear();
        // url(...) in a style loads from the sender's server: dropped with the property.
        _sanitizer.AllowedCssProperties.Remove("background-image");
        _sanitizer.AllowedCssProperties.Remove("list-style-image");
        _sanitizer.AllowedCssProperties.Remove("content");
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement element)
            {
                if (element.LocalName == "a")
                {
                    // Links open outside the app and tell the target nothing about it.
                    element.SetAttribute("target", "_blank");
                    element.SetAttribute("rel", "noopener noreferrer nofollow");
                }
                var style = element.GetAttribute("style");
                if (style is not null && style.Contains("url(", StringComparison.OrdinalIgnoreCase)) element.RemoveAttribute("style");
            }
        };
        _sanitizer.AllowedAttributes.Add("target");
        _sanitizer.AllowedAttributes.Add("rel");
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    public string TextOf(string html)
    {
        var document = Parser.ParseDocument(html);
        foreach (var element in document.QuerySelectorAll("script, style, head")) element.Remove();
        foreach (var element in document.QuerySelectorAll("br")) element.Replace(document.CreateTextNode("\n"));
        foreach (var element in document.QuerySelectorAll("p, div, tr, li, h1, h2, h3, h4, h5, h6")) element.Append(document.CreateTextNode("\n"));
        var text = WebUtility.HtmlDecode(document.Body?.TextContent ?? document.DocumentElement.TextContent);
        return BlankLines().Replace(Spaces().Replace(text, " "), "\n\n").Trim();
    }

    [GeneratedRegex("[ \\t\\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex("(\\s*\\n){3,}")]
    private static partial Regex BlankLines();
}
