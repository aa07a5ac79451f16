using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Crm.Core.Common;

/// <summary>An email address by <see cref="EmailAddresses"/> (stricter than [EmailAddress]); in a list, every entry.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmailFormatAttribute : ValidationAttribute
{
    public EmailFormatAttribute() : base("'{0}' is not a valid email address.") { }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string s when s.Length == 0 => true,
        string s when s.Trim().Length == 0 => true,
        string s => IsEmail(s),
        // A null entry ("additionalEmails":[null]) is not an address either.
        IEnumerable<string?> list => list.All(e => e is not null && IsEmail(e)),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => "Enter a valid email address, like name@example.com.";

    /// <summary>Surrounding spaces are forgiven (they are trimmed on save); inner ones are not.</summary>
    public static bool IsEmail(string s) => EmailAddresses.IsValid(s);
}

/// <summary>The seed's phone rule: digits, spaces, dashes, parentheses and an optional leading +; an extension may follow ("ext. 89", "x89").</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class PhoneFormatAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is null || value is string s && (s.Length == 0 || (Pattern().IsMatch(s) && s.Count(char.IsDigit) >= 3));

    public override string FormatErrorMessage(string name) => "Enter a phone number using digits, spaces, dashes, parentheses and an optional leading +, and an extension if any (ext. 89).";

    [GeneratedRegex(@"^\+?[\d\s\-\(\)\.]+(\s*(ext\.?|extension|x)\s*\d{1,10})?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}

/// <summary>The seed's URL rule: an absolute http(s) address.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is null || value is string s && (s.Length == 0 || IsHttpUrl(s));

    public override string FormatErrorMessage(string name) => "Enter a full web address starting with http:// or https://.";

    public static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}

/// <summary>Limits a list's size and each item's length.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListLimitsAttribute(int maxItems, int maxItemLength) : ValidationAttribute
{
    public override bool IsValid(object? value)
    {
        if (value is null) return true;
        if (value is not IEnumerable list) return false;
        var count = 0;
        foreach (var item in list)
        {
            count++;
            var length = item switch
            {
                string s => s.Length,
                KeyValuePair<string, string?> kv => Math.Max(kv.Key.Length, kv.Value?.Length ?? 0),
                _ => 0,
            };
            if (length > maxItemLength) return false;
        }
        return count <= maxItems;
    }

    public override string FormatErrorMessage(string name) =>
        $"At most {maxItems} entries of at most {maxItemLength} characters each.";
}

/// <summary>At most this many decimal places (money has two).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxDecimalsAttribute(int places) : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not decimal d || decimal.Round(d, places) == d;

    public override string FormatErrorMessage(string name) => $"{name} can have at most {places} decimals.";
}
