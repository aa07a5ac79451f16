using System.Linq.Expressions;
using Crm.Core.Common;
using Crm.Core.Exports;
using Crm.Core.Imports;

namespace Crm.Core.Fields;

/// <summary>
/// One field of a record type, described once: its key (the API's, the import's and the export's), the name people
/// read, the entity property it reads and writes (the history's field name) with typed accessors, how an import reads
/// it (kind, length, the header names other systems use), and how an export writes it (header, kind, value). Import
/// fields, export columns, the accessors that imports and merges use and the labels of history and merges are views of
/// <see cref="RecordFields"/>; the coming sync mappings read it too.
/// </summary>
public sealed record RecordField
{
    public required string Key { get; init; }

    /// <summary>What people call it in history, merges and settings ("First name", "Account").</summary>
    public required string Label { get; init; }

    /// <summary>The entity property it reads and writes; null for fields that only import or only export.</summary>
    public string? Property { get; init; }

    /// <summary>Typed get and set of <see cref="Property"/>, for imports (planning, rollback) and merges.</summary>
    public TargetProperty? Access { get; init; }

    public RecordFieldImport? Import { get; init; }

    public RecordFieldExport? Export { get; init; }

    public ImportField ToImportField() =>
        new(Key, Import!.Label ?? Label, Import.Kind, Import.MaxLength, Import.CanMatch, Import.Synonyms);

    public ExportField ToExportField() =>
        new(Key, Export!.Header, Export.Kind, Export.Group, Export.Default, Export.Value);

    /// <summary>This field read by imports: the same field with its import side set.</summary>
    public RecordField Imported(ImportFieldKind kind, int maxLength = 0, bool canMatch = false, string? label = null, params string[] synonyms) =>
        this with { Import = new RecordFieldImport(kind, maxLength, canMatch, label, synonyms) };

    /// <summary>This field written by exports, from the entity's own column.</summary>
    public RecordField Exported(string header, ExportKind kind, bool isDefault = true, LambdaExpression? value = null, ExportGroup group = ExportGroup.Record) =>
        this with { Export = new RecordFieldExport(header, kind, isDefault, group, value ?? Export?.Value ?? DeclaredValue) };

    /// <summary>The property expression the field was declared with (its default export value).</summary>
    internal LambdaExpression? DeclaredValue { get; init; }
}

/// <summary>How an import reads a field: its kind (transform and validation), its length, whether records can be matched by it, and its header names.</summary>
public sealed record RecordFieldImport(ImportFieldKind Kind, int MaxLength, bool CanMatch, string? Label, string[] Synonyms);

/// <summary>How an export writes a field: its header (what our import recognises), its kind, whether it is a default column, and its value.</summary>
public sealed record RecordFieldExport(string Header, ExportKind Kind, bool Default, ExportGroup Group, LambdaExpression? Value);

/// <summary>Declares fields of one entity type, with typed accessors built from one property expression.</summary>
internal static class Declare<T> where T : ITrackedRecord
{
    /// <summary>A field on an entity property: <paramref name="property"/> is its getter (and its export value), <paramref name="set"/> writes it.</summary>
    public static RecordField Property<TValue>(string key, string label, Expression<Func<T, TValue>> property, Action<T, TValue> set)
    {
        var name = ((MemberExpression)property.Body).Member.Name;
        var get = property.Compile();
        return new RecordField
        {
            Key = key, Label = label, Property = name, DeclaredValue = property,
            Access = new TargetProperty(name, typeof(TValue), r => get((T)r), (r, v) => set((T)r, (TValue)v!)),
        };
    }

    /// <summary>A field with no property of its own (a full name split in two, an account found by domain, an owner's name).</summary>
    public static RecordField Virtual(string key, string label) => new() { Key = key, Label = label };

    /// <summary>A column only exports write, read from the record or what it points to.</summary>
    public static RecordField Read<TValue>(string key, string label, Expression<Func<T, TValue>> value) =>
        new() { Key = key, Label = label, DeclaredValue = value };
}
