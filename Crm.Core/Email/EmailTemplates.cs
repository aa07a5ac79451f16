using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

public sealed record EmailTemplateDto(long Id, string Name, string Subject, string Body, bool Shared, bool CanEdit, DateTimeOffset UpdatedAt);

/// <param name="Shared">With the whole workspace (admins only) rather than the person's own.</param>
public sealed record EmailTemplateInput(string Name, string Subject, string Body, bool Shared = false);

/// <summary>The templates a person may use: the workspace's shared ones and their own, by name.</summary>
public sealed class ListEmailTemplatesHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<EmailTemplateDto>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var userId = db.Actor.UserId;
        var templates = await db.EmailTemplates.AsNoTracking().Where(t => t.OwnerUserId == null || t.OwnerUserId == userId).ToListAsync(ct);
        return templates.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(t => t.OwnerUserId is null).Select(t => EmailTemplates.Dto(t, db.Actor)).ToList();
    }
}

/// <summary>Creates or changes a template: named, with a subject and a body whose merge fields all exist; sharing is an admin's.</summary>
public sealed class SaveEmailTemplateHandler(ICrmDbFactory dbFactory, TimeProvider clock)
{
    public async Task<EmailTemplateDto> CreateAsync(EmailTemplateInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (name, subject, body) = EmailTemplates.Validate(input);
        if (input.Shared) Roles.EnsureAdmin(db.Actor);
        else if (db.Actor.UserId is null) throw new ForbiddenException("Only a person keeps templates of their own; an admin may share one with the workspace.");
        if (await db.EmailTemplates.CountAsync(ct) >= EmailTemplate.PerWorkspace)
            throw new ValidationFailedException(nameof(input.Name), $"A workspace keeps at most {EmailTemplate.PerWorkspace:N0} email templates; delete some first.");
        var owner = input.Shared ? null : db.Actor.UserId;
        await EmailTemplates.EnsureNameFreeAsync(db, owner, name, null, ct);
        var now = clock.GetUtcNow();
        var template = new EmailTemplate { OwnerUserId = owner, Name = name, Subject = subject, Body = body, CreatedAt = now, UpdatedAt = now };
        db.EmailTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return EmailTemplates.Dto(template, db.Actor);
    }

    public async Task<EmailTemplateDto> UpdateAsync(long id, EmailTemplateInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var template = await EmailTemplates.EditableAsync(db, id, ct);
        var (name, subject, body) = EmailTemplates.Validate(input);
        // Sharing or unsharing moves it between the person's own and the workspace's: an admin's decision either way.
        if (input.Shared != (template.OwnerUserId is null)) Roles.EnsureAdmin(db.Actor);
        long? owner = input.Shared ? null : template.OwnerUserId ?? db.Actor.UserId
            ?? throw new ForbiddenException("Only a person keeps templates of their own; an admin may share one with the workspace.");
        await EmailTemplates.EnsureNameFreeAsync(db, owner, name, id, ct);
        (template.OwnerUserId, template.Name, template.Subject, template.Body, template.UpdatedAt) = (owner, name, subject, body, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return EmailTemplates.Dto(template, db.Actor);
    }
}

public sealed class DeleteEmailTemplateHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.EmailTemplates.Remove(await EmailTemplates.EditableAsync(db, id, ct));
        await db.SaveChangesAsync(ct);
    }
}

internal static class EmailTemplates
{
    public static EmailTemplateDto Dto(EmailTemplate t, Actor actor) =>
        new(t.Id, t.Name, t.Subject, t.Body, t.OwnerUserId is null, t.OwnerUserId is null ? actor.IsAdmin : t.OwnerUserId == actor.UserId, t.UpdatedAt);

    public static (string Name, string Subject, string Body) Validate(EmailTemplateInput input)
    {
        var name = (input.Name ?? "").Trim();
        var subject = (input.Subject ?? "").Trim();
        var body = input.Body ?? "";
        if (name.Length == 0) throw new ValidationFailedException(nameof(input.Name), "Name the template.");
        if (name.Length > EmailTemplate.NameChars) throw new ValidationFailedException(nameof(input.Name), $"A template's name is at most {EmailTemplate.NameChars} characters.");
        if (subject.Length == 0) throw new ValidationFailedException(nameof(input.Subject), "Enter a subject.");
        if (subject.Length > EmailLimits.SubjectChars) throw new ValidationFailedException(nameof(input.Subject), $"A subject is at most {EmailLimits.SubjectChars} characters.");
        if (string.IsNullOrWhiteSpace(body)) throw new ValidationFailedException(nameof(input.Body), "Write the email.");
        if (body.Length > EmailLimits.BodyChars) throw new ValidationFailedException(nameof(input.Body), $"An email is at most {EmailLimits.BodyChars:N0} characters.");
        SendEmailHandler.EnsureKnownMergeFields(subject, nameof(input.Subject));
        SendEmailHandler.EnsureKnownMergeFields(body, nameof(input.Body));
        return (name, subject, body);
    }

    /// <summary>A template the actor may change: their own, or a shared one when they are an admin; another person's is not found.</summary>
    public static async Task<EmailTemplate> EditableAsync(ICrmDb db, long id, CancellationToken ct)
    {
        var template = await db.EmailTemplates.FirstOrDefaultAsync(t => t.Id == id && (t.OwnerUserId == null || t.OwnerUserId == db.Actor.UserId), ct)
                       ?? throw new NotFoundException("Email template", id);
        if (template.OwnerUserId is null) Roles.EnsureAdmin(db.Actor);
        return template;
    }

    public static async Task EnsureNameFreeAsync(ICrmDb db, long? owner, string name, long? except, CancellationToken ct)
    {
        var lower = name.ToLower();
        if (await db.EmailTemplates.AnyAsync(t => t.OwnerUserId == owner && t.Name.ToLower() == lower && t.Id != except, ct))
            throw new ValidationFailedException(nameof(EmailTemplateInput.Name), owner is null ? $"The workspace already shares a template named \"{name}\"." : $"You already have a template named \"{name}\".");
    }
}
