using Crm.Core.Common;

namespace Crm.Core.Contacts;

/// <summary>Validates an input against the workspace and copies it onto a contact, normalised.</summary>
internal static class ContactWriter
{
    public static async Task ApplyAsync(ICrmDb db, Contact contact, ContactInput input, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input);
        await References.CheckAsync(db, input.OwnerId, input.AccountId, ct);
        var customFields = await References.CustomFieldsAsync(db, RecordType.Contact, input.CustomFields, ct);

        contact.FirstName = Text.Clean(input.FirstName);
        contact.LastName = Text.Clean(input.LastName);
        contact.Email = Text.CleanEmail(input.Email);
        var additional = (input.AdditionalEmails ?? [])
            .Select(Text.CleanEmail)
            .OfType<string>()
            .Where(e => e != contact.Email)
            .Distinct()
            .ToList();
        if (!additional.SequenceEqual(contact.AdditionalEmails)) contact.AdditionalEmails = additional;
        contact.Phone = Text.Clean(input.Phone);
        contact.JobTitle = Text.Clean(input.JobTitle);
        contact.AccountId = input.AccountId;
        contact.Lifecycle = input.Lifecycle;
        contact.LeadScore = input.LeadScore;
        contact.ScoreTier = Text.Clean(input.ScoreTier);
        contact.OwnerId = input.OwnerId;
        contact.Source = Text.Clean(input.Source);
        contact.SourceDetail = Text.Clean(input.SourceDetail);
        contact.LinkedInUrl = Text.Clean(input.LinkedInUrl);
        contact.Street = Text.Clean(input.Street);
        contact.City = Text.Clean(input.City);
        contact.Region = Text.Clean(input.Region);
        contact.PostalCode = Text.Clean(input.PostalCode);
        contact.Country = Text.Clean(input.Country);
        if (!DictionaryEquals(customFields, contact.CustomFields)) contact.CustomFields = customFields;
    }

    private static bool DictionaryEquals(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
