using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

/// <summary>
/// Validates a deal input against the workspace (pipeline, stage, people, company) and applies it — every field or
/// only those a patch names.
/// </summary>
internal static class DealWriter
{
    public static Task ApplyAsync(ICrmDb db, Deal deal, DealInput input, CancellationToken ct) =>
        ApplyAsync(db, deal, input, WrittenFields.All, ct);

    public static async Task ApplyAsync(ICrmDb db, Deal deal, DealInput input, WrittenFields fields, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input, fields);
        await References.CheckAsync(db, fields.Has(nameof(input.OwnerId)) ? input.OwnerId : null, fields.Has(nameof(input.AccountId)) ? input.AccountId : null, ct);
        var customFields = fields.Has(nameof(input.CustomFields)) ? await References.CustomFieldsAsync(db, RecordType.Deal, input.CustomFields, deal.CustomFields, ct) : null;
        if (customFields is not null && !References.SameValues(customFields, deal.CustomFields)) deal.CustomFields = customFields;

        var isNew = deal.Id == 0;
        if (isNew || fields.HasAny(nameof(input.PipelineId), nameof(input.StageId), nameof(input.Probability)))
        {
            var pipeline = await (input.PipelineId is { } pipelineId
                    ? db.Pipelines.Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == pipelineId, ct)
                    : db.Pipelines.Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).FirstOrDefaultAsync(ct))
                ?? throw new ValidationFailedException(nameof(DealInput.PipelineId),
                    input.PipelineId is null ? "This workspace has no pipeline yet." : $"Pipeline {input.PipelineId} was not found.");
            // Moving a deal to another pipeline without naming a stage puts it in that pipeline's first stage.
            var stageId = !fields.Has(nameof(input.StageId)) && pipeline.Id != deal.PipelineId ? null : input.StageId;
            var stages = pipeline.Stages.OrderBy(s => s.Order).ToList();
            var stage = stageId is { } id
                ? stages.SingleOrDefault(s => s.Id == id)
                  ?? throw new ValidationFailedException(nameof(DealInput.StageId), $"Stage {id} is not a stage of pipeline '{pipeline.Name}'.")
                : stages.FirstOrDefault() ?? throw new ValidationFailedException(nameof(DealInput.StageId), $"Pipeline '{pipeline.Name}' has no stages.");

            // A probability not given follows the stage when the stage changes, and stays otherwise.
            var probability = fields.Has(nameof(input.Probability)) ? input.Probability : null;
            var stageChanged = deal.StageId != stage.Id;
            deal.PipelineId = pipeline.Id;
            deal.StageId = stage.Id;
            deal.Probability = probability ?? (stageChanged || isNew ? stage.Probability : deal.Probability);
        }

        if (fields.Has(nameof(input.ContactIds)))
        {
            var contactIds = (input.ContactIds ?? []).Distinct().ToList();
            if (contactIds.Count > 0)
            {
                var found = await db.Contacts.Where(c => contactIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
                var missing = contactIds.Except(found).ToList();
                if (missing.Count > 0)
                    throw new ValidationFailedException(nameof(DealInput.ContactIds), $"Contact(s) {string.Join(", ", missing)} were not found.");
            }
            var removed = deal.Contacts.RemoveAll(dc => !contactIds.Contains(dc.ContactId));
            var added = contactIds.Where(id => deal.Contacts.All(dc => dc.ContactId != id)).ToList();
            foreach (var contactId in added) deal.Contacts.Add(new DealContact { ContactId = contactId });
            // Other contacts make a changed deal (the save stamps the time), so a sync sees it like any other change.
            if (deal.Id != 0 && (removed > 0 || added.Count > 0)) deal.UpdatedAt = DateTimeOffset.UtcNow;
        }

        if (fields.Has(nameof(input.Name))) deal.Name = Text.Clean(input.Name) ?? throw new ValidationFailedException(nameof(DealInput.Name), "Enter the deal name.");
        if (fields.Has(nameof(input.Amount))) deal.Amount = input.Amount;
        if (fields.Has(nameof(input.Currency)))
            deal.Currency = Text.Clean(input.Currency)?.ToUpperInvariant() ?? (isNew ? await db.Workspaces.Select(w => w.DefaultCurrency).FirstAsync(ct) : deal.Currency);
        if (fields.Has(nameof(input.CloseDate))) deal.CloseDate = input.CloseDate;
        if (fields.Has(nameof(input.OwnerId))) deal.OwnerId = input.OwnerId;
        if (fields.Has(nameof(input.AccountId))) deal.AccountId = input.AccountId;
    }
}
