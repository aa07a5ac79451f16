using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.CustomFields;

public sealed class NewCustomFieldInput
{
    [Required(ErrorMessage = "Enter a label."), MaxLength(FieldLimits.Name)] public string? Label { get; set; }
    /// <summary>Optional; derived from the label when empty.</summary>
    [MaxLength(FieldLimits.CustomFieldKey)] public string? Key { get; set; }
    public CustomFieldType Type { get; set; }
    public RecordType RecordType { get; set; } = RecordType.Contact;
}

public sealed record CustomFieldView(long Id, RecordType RecordType, string Key, string Label, CustomFieldType Type);

public sealed class ListCustomFieldsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<CustomFieldView>> HandleAsync(RecordType recordType, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == recordType).OrderBy(d => d.Label)
            .Select(d => new CustomFieldView(d.Id, d.RecordType, d.Key, d.Label, d.Type))
            .ToListAsync(ct);
    }
}

public sealed class CreateCustomFieldHandler(ICrmDbFactory dbFactory)
{
    public async Task<CustomFieldView> HandleAsync(NewCustomFieldInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        // A definition no record could hold a value of would look like a field and keep nothing.
        if (!CustomFieldDefinition.Holds(input.RecordType))
            throw new ValidationFailedException(nameof(input.RecordType), "Custom fields are for contacts, accounts and deals.");
        var key = Text.Clean(input.Key) ?? KeyFromLabel(input.Label!);
        if (!CustomFieldDefinition.IsValidKey(key))
            throw new ValidationFailedException(nameof(input.Key), "A key starts with a letter and has only lower-case letters, digits and underscores.");
        if (await db.CustomFieldDefinitions.AnyAsync(d => d.RecordType == input.RecordType && d.Key == key, ct))
            throw new ValidationFailedException(nameof(input.Key), $"There is already a custom field '{key}'.");
        var definition = new CustomFieldDefinition { RecordType = input.RecordType, Key = key, Label = input.Label!.Trim(), Type = input.Type };
        db.CustomFieldDefinitions.Add(definition);
        await db.SaveChangesAsync(ct);
        return new CustomFieldView(definition.Id, definition.RecordType, definition.Key, definition.Label, definition.Type);
    }

    public static string KeyFromLabel(string label)
    {
        var chars = label.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var key = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        if (key.Length == 0 || !char.IsAsciiLetter(key[0])) key = "f_" + key;
        return key.Length > FieldLimits.CustomFieldKey ? key[..FieldLimits.CustomFieldKey] : key;
    }
}

/// <summary>Removes the definition; values stay on the records and come back if the key is defined again.</summary>
public sealed class DeleteCustomFieldHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var definition = await db.CustomFieldDefinitions.GetAsync(id, "Custom field", ct);
        db.CustomFieldDefinitions.Remove(definition);
        await db.SaveChangesAsync(ct);
    }
}
