using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

/// <summary>Validates a deal input against the workspace (pipeline, stage, people, company) and applies it.</summary>
internal static class DealWriter
{
    public static async Task ApplyAsync(ICrmDb db, Deal deal, DealInput input, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input);
        await References.CheckAsync(db, input.OwnerId, input.AccountId, ct);

        var pipeline = await (input.PipelineId is { } pipelineId
                ? db.Pipelines.Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == pipelineId, ct)
                : db.Pipelines.Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).FirstOrDefaultAsync(ct))
            ?? throw new ValidationFailedException(nameof(DealInput.PipelineId),
                input.PipelineId is null ? "This workspace has no pipeline yet." : $"Pipeline {input.PipelineId} was not found.");
        var stages = pipeline.Stages.OrderBy(s => s.Order).ToList();
        var stage = input.StageId is { } stageId
            ? stages.SingleOrDefault(s => s.Id == stageId)
              ?? throw new ValidationFailedException(nameof(DealInput.StageId), $"Stage {stageId} is not a stage of pipeline '{pipeline.Name}'.")
            : stages.FirstOrDefault() ?? throw new ValidationFailedException(nameof(DealInput.StageId), $"Pipeline '{pipeline.Name}' has no stages.");

        var contactIds = (input.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count > 0)
        {
            var found = await db.Contacts.Where(c => contactIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            var missing = contactIds.Except(found).ToList();
            if (missing.Count > 0)
                throw new ValidationFailedException(nameof(DealInput.ContactIds), $"Contact(s) {string.Join(", ", missing)} were not found.");
        }

        var stageChanged = deal.StageId != stage.Id;
        deal.Name = Text.Clean(input.Name) ?? throw new ValidationFailedException(nameof(DealInput.Name), "Enter the deal name.");
        deal.Amount = input.Amount;
        deal.Currency = Text.Clean(input.Currency)?.ToUpperInvariant()
            ?? (deal.Id == 0 ? await db.Workspaces.Select(w => w.DefaultCurrency).FirstAsync(ct) : deal.Currency);
        deal.PipelineId = pipeline.Id;
        deal.StageId = stage.Id;
        deal.CloseDate = input.CloseDate;
        deal.Probability = input.Probability ?? (stageChanged || deal.Id == 0 ? stage.Probability : deal.Probability);
        deal.OwnerId = input.OwnerId;
        deal.AccountId = input.AccountId;

        deal.Contacts.RemoveAll(dc => !contactIds.Contains(dc.ContactId));
        foreach (var contactId in contactIds.Where(id => deal.Contacts.All(dc => dc.ContactId != id)))
            deal.Contacts.Add(new DealContact { ContactId = contactId });
    }
}
