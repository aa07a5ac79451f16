using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Web.Components.Shared;

/// <summary>
/// A list page's search, filters, sort and page kept in its URL's query: read once when the page opens, and written
/// back in place (replacing the history entry, so Back leaves the list instead of stepping through each keystroke).
/// </summary>
public sealed class ListUrlState(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
{
    public static ListUrlState Read(NavigationManager navigation) =>
        new(QueryHelpers.ParseQuery(new Uri(navigation.Uri).Query));

    public string? Text(string name) => query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 and <= 500 } text ? text : null;

    public long? Long(string name) => long.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// Writes the state into the URL of the list at <paramref name="path"/> when it changed; nothing is navigated to.
    /// A list that answers after the person has left it (a click on a row) never pulls them back.
    /// </summary>
    public static void Replace(NavigationManager navigation, string path, IReadOnlyDictionary<string, object?> state)
    {
        if (!string.Equals(new Uri(navigation.Uri).AbsolutePath, path, StringComparison.OrdinalIgnoreCase)) return;
        var target = navigation.GetUriWithQueryParameters(state);
        if (!string.Equals(target, navigation.Uri, StringComparison.Ordinal)) navigation.NavigateTo(target, replace: true);
    }
}
