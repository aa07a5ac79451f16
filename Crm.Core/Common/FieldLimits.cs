namespace Crm.Core.Common;

/// <summary>Every text column has a limit; validation and the database schema share these numbers.</summary>
public static class FieldLimits
{
    public const int Name = 100;
    public const int LongName = 255;
    public const int Email = 254;
    public const int Phone = 50;
    public const int Title = 150;
    public const int Url = 2000;
    public const int ShortCode = 50;
    public const int Street = 255;
    public const int City = 100;
    public const int PostalCode = 20;
    public const int Currency = 3;
    public const int Body = 10_000;
    public const int EmailBody = 100_000;
    public const int ExternalId = 255;
    public const int CustomFieldKey = 64;
    public const int CustomFieldValue = 1_000;
    public const int MaxCustomFields = 100;
    public const int MaxAdditionalEmails = 10;
    public const int MaxRecipients = 100;
    public const int HistoryValue = 4_000;
    /// <summary>The value a duplicate group shares (an email, a LinkedIn URL, "account|name"): longer ones are cut.</summary>
    public const int GroupKey = 400;

    /// <summary>A value cut to <paramref name="max"/> characters, the last one an ellipsis, when it is longer.</summary>
    public static string? Cut(string? value, int max) => value is { } v && v.Length > max ? v[..(max - 1)] + "…" : value;
}
