using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

public sealed record DuplicateSettingsView(bool AutoMerge, int ReviewThreshold, int PossibleThreshold);

public sealed class DuplicateSettingsInput : IValidatableObject
{
    public bool AutoMerge { get; set; }
    [Range(50, 100, ErrorMessage = "The review threshold is between 50 and 100.")] public int ReviewThreshold { get; set; } = DuplicateThresholds.DefaultReview;
    [Range(1, 100, ErrorMessage = "The possible-duplicate threshold is between 1 and 100.")] public int PossibleThreshold { get; set; } = DuplicateThresholds.DefaultPossible;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PossibleThreshold > ReviewThreshold)
            yield return new ValidationResult("The possible-duplicate threshold cannot be above the review threshold.", [nameof(PossibleThreshold)]);
    }
}

public sealed class GetDuplicateSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateSettingsView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        return new DuplicateSettingsView(w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold);
    }
}

public sealed class UpdateDuplicateSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateSettingsView> HandleAsync(DuplicateSettingsInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var w = await db.Workspaces.SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        (w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold) = (input.AutoMerge, input.ReviewThreshold, input.PossibleThreshold);
        await db.SaveChangesAsync(ct);
        return new DuplicateSettingsView(w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold);
    }
}
