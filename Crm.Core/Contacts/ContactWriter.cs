using Crm.Core.Common;

namespace Crm.Core.Contacts;

/// <summary>
/// Validates an input against the workspace and copies it onto a contact, normalised — every field (create,
/// replace) or only the fields a patch names.
/// </summary>
internal static class ContactWriter
{
    public static Task ApplyAsync(ICrmDb db, Contact contact, ContactInput input, CancellationToken ct) =>
        ApplyAsync(db, contact, input, WrittenFields.All, ct);

    public static async Task ApplyAsync(ICrmDb db, Contact contact, ContactInput input, WrittenFields fields, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input, fields);
        await References.CheckAsync(db, fields.Has(nameof(input.OwnerId)) ? input.OwnerId : null, fields.Has(nameof(input.AccountId)) ? input.AccountId : null, ct);
        var customFields = fields.Has(nameof(input.CustomFields)) ? await References.CustomFieldsAsync(db, RecordType.Contact, input.CustomFields, contact.CustomFields, ct) : null;

        if (fields.Has(nameof(input.FirstName))) contact.FirstName = Text.Clean(input.FirstName);
        if (fields.Has(nameof(input.LastName))) contact.LastName = Text.Clean(input.LastName);
        if (fields.Has(nameof(input.Email))) contact.Email = Text.CleanEmail(input.Email);
        // A new primary email leaves the other emails too, so the two lists never repeat an address.
        if (fields.HasAny(nameof(input.AdditionalEmails), nameof(input.Email)))
        {
            var additional = (input.AdditionalEmails ?? [])
                .Select(Text.CleanEmail)
                .OfType<string>()
                .Where(e => e != contact.Email)
                .Distinct()
                .ToList();
            if (!additional.SequenceEqual(contact.AdditionalEmails)) contact.AdditionalEmails = additional;
        }
        if (fields.Has(nameof(input.Phone))) contact.Phone = Text.Clean(input.Phone);
        if (fields.Has(nameof(input.JobTitle))) contact.JobTitle = Text.Clean(input.JobTitle);
        if (fields.Has(nameof(input.AccountId))) contact.AccountId = input.AccountId;
        if (fields.Has(nameof(input.Lifecycle))) contact.Lifecycle = input.Lifecycle;
        if (fields.Has(nameof(input.LeadScore))) contact.LeadScore = input.LeadScore;
        if (fields.Has(nameof(input.ScoreTier))) contact.ScoreTier = Text.Clean(input.ScoreTier);
        if (fields.Has(nameof(input.OwnerId))) contact.OwnerId = input.OwnerId;
        if (fields.Has(nameof(input.Source))) contact.Source = Text.Clean(input.Source);
        if (fields.Has(nameof(input.SourceDetail))) contact.SourceDetail = Text.Clean(input.SourceDetail);
        if (fields.Has(nameof(input.LinkedInUrl))) contact.LinkedInUrl = Text.Clean(input.LinkedInUrl);
        if (fields.Has(nameof(input.Street))) contact.Street = Text.Clean(input.Street);
        if (fields.Has(nameof(input.City))) contact.City = Text.Clean(input.City);
        if (fields.Has(nameof(input.Region))) contact.Region = Text.Clean(input.Region);
        if (fields.Has(nameof(input.PostalCode))) contact.PostalCode = Text.Clean(input.PostalCode);
        if (fields.Has(nameof(input.Country))) contact.Country = Text.Clean(input.Country);
        if (customFields is not null && !References.SameValues(customFields, contact.CustomFields)) contact.CustomFields = customFields;
    }
}
