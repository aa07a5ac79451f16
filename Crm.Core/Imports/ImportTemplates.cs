using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Imports;

public sealed class SaveTemplateInput
{
    [Required(ErrorMessage = "Name the template."), MaxLength(FieldLimits.Name)] public string? Name { get; set; }
}

/// <summary>Saves a draft's mapping and options as a named template, offered again for files with the same columns.</summary>
public sealed class SaveImportTemplateHandler(ICrmDbFactory dbFactory)
{
    public async Task<ImportTemplateView> HandleAsync(long importId, string name, ImportMapping mapping, ImportOptions options, IReadOnlyList<string> headers, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(new SaveTemplateInput { Name = name });
        var job = await db.ImportJobs.AsNoTracking().GetAsync(importId, "Import", ct);
        var signature = HeaderMatcher.Signature(headers);
        var template = await db.ImportTemplates.SingleOrDefaultAsync(t => t.ObjectType == job.ObjectType && t.Name == name.Trim(), ct);
        if (template is null)
        {
            template = new ImportTemplate { Name = name.Trim(), ObjectType = job.ObjectType };
            db.ImportTemplates.Add(template);
        }
        template.HeaderSignature = signature;
        template.Mapping = mapping;
        template.Options = options;
        await db.SaveChangesAsync(ct);
        return new ImportTemplateView(template.Id, template.Name, template.ObjectType, mapping.Columns.Count(c => c.Field is not null), template.UpdatedAt);
    }
}

public sealed class ListImportTemplatesHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ImportTemplateView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var templates = await db.ImportTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return templates.Select(t => new ImportTemplateView(t.Id, t.Name, t.ObjectType, t.Mapping.Columns.Count(c => c.Field is not null), t.UpdatedAt)).ToList();
    }
}

public sealed class DeleteImportTemplateHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long templateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        db.ImportTemplates.Remove(await db.ImportTemplates.GetAsync(templateId, "Template", ct));
        await db.SaveChangesAsync(ct);
    }
}
