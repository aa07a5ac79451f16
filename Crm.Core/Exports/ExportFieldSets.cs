using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

public sealed record ExportFieldSetView(long Id, string Name, ExportObject Object, IReadOnlyList<string> Fields);

public sealed class ListExportFieldSetsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ExportFieldSetView>> HandleAsync(ExportObject type, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var sets = await db.ExportFieldSets.AsNoTracking().Where(s => s.Object == type).OrderBy(s => s.Name).ToListAsync(ct);
        return sets.Select(s => new ExportFieldSetView(s.Id, s.Name, s.Object, s.Fields)).ToList();
    }
}

/// <summary>Saves (or replaces, by name) a choice of columns for an object type.</summary>
public sealed class SaveExportFieldSetHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportFieldSetView> HandleAsync(ExportObject type, string name, IReadOnlyList<string> fields, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var cleaned = Text.Clean(name) ?? throw new ValidationFailedException("Name", "Name the field set.");
        if (cleaned.Length > FieldLimits.Name) throw new ValidationFailedException("Name", $"A name has at most {FieldLimits.Name} characters.");
        var columns = ExportQueries.Columns(new ExportPart { Object = type, Fields = [.. fields] }, await StartExportHandler.CustomFieldsAsync(db, ct));
        var set = await db.ExportFieldSets.SingleOrDefaultAsync(s => s.Object == type && s.Name == cleaned, ct);
        if (set is null) db.ExportFieldSets.Add(set = new ExportFieldSet { Name = cleaned, Object = type });
        set.Fields = columns.Select(c => c.Key).ToList();
        await db.SaveChangesAsync(ct);
        return new ExportFieldSetView(set.Id, set.Name, set.Object, set.Fields);
    }
}

public sealed class DeleteExportFieldSetHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var set = await db.ExportFieldSets.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("Field set", id);
        db.ExportFieldSets.Remove(set);
        await db.SaveChangesAsync(ct);
    }
}
