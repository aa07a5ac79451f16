using Crm.Core.Common;

namespace Crm.Core.Accounts;

/// <summary>Validates an account input and copies it onto an account, normalised — every field or only those a patch names.</summary>
internal static class AccountWriter
{
    public static Task ApplyAsync(ICrmDb db, Account account, AccountInput input, CancellationToken ct) =>
        ApplyAsync(db, account, input, WrittenFields.All, ct);

    public static async Task ApplyAsync(ICrmDb db, Account account, AccountInput input, WrittenFields fields, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input, fields);
        await References.CheckAsync(db, fields.Has(nameof(input.OwnerId)) ? input.OwnerId : null, accountId: null, ct);
        var customFields = fields.Has(nameof(input.CustomFields)) ? await References.CustomFieldsAsync(db, RecordType.Account, input.CustomFields, account.CustomFields, ct) : null;
        if (fields.Has(nameof(input.Name))) account.Name = Text.Clean(input.Name) ?? throw new ValidationFailedException(nameof(AccountInput.Name), "Enter the company name.");
        if (fields.Has(nameof(input.Domain))) account.Domain = Domains.Normalize(input.Domain);
        if (fields.Has(nameof(input.Phone))) account.Phone = Text.Clean(input.Phone);
        if (fields.Has(nameof(input.Industry))) account.Industry = Text.Clean(input.Industry);
        if (fields.Has(nameof(input.Street))) account.Street = Text.Clean(input.Street);
        if (fields.Has(nameof(input.City))) account.City = Text.Clean(input.City);
        if (fields.Has(nameof(input.Region))) account.Region = Text.Clean(input.Region);
        if (fields.Has(nameof(input.PostalCode))) account.PostalCode = Text.Clean(input.PostalCode);
        if (fields.Has(nameof(input.Country))) account.Country = Text.Clean(input.Country);
        if (fields.Has(nameof(input.OwnerId))) account.OwnerId = input.OwnerId;
        if (customFields is not null && !References.SameValues(customFields, account.CustomFields)) account.CustomFields = customFields;
    }
}
