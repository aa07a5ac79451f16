using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Timeline;

public sealed class GetActivityHandler(ICrmDbFactory dbFactory)
{
    public async Task<ActivityDto> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var activity = await db.Activities.AsNoTracking().GetAsync(id, "Activity", ct);
        return ActivityDto.Of((await Email.EmailBodyAccess.ForAsync(db, ct)).Shown(activity));
    }
}

public sealed class CreateActivityHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<ActivityDto> HandleAsync(ActivityInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        await using var db = await dbFactory.CreateAsync(ct);
        var activity = ActivityWriter.New(input.Type);
        await ActivityWriter.ApplyAsync(db, activity, input, time.GetUtcNow(), ct);
        db.Activities.Add(activity);
        await db.SaveChangesAsync(ct);
        return ActivityDto.Of(activity);
    }
}

public sealed class UpdateActivityHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<ActivityDto> HandleAsync(long id, ActivityInput input, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var activity = await db.Activities.GetAsync(id, "Activity", ct);
        Concurrency.Check("Activity", activity, expectedVersion);
        await ActivityWriter.ApplyAsync(db, activity, input, time.GetUtcNow(), ct);
        await Concurrency.SaveAsync(db, "Activity", activity, ct);
        return ActivityDto.Of(activity);
    }
}

/// <summary>Ticks a task off (or reopens it) without touching its other fields.</summary>
public sealed class SetTaskDoneHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<ActivityDto> HandleAsync(long id, bool done, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var task = await db.Activities.OfType<TaskActivity>().GetAsync(id, "Task", ct);
        if (task.IsDone != done)
        {
            task.IsDone = done;
            task.CompletedAt = done ? time.GetUtcNow() : null;
            await Concurrency.SaveAsync(db, "Task", task, ct);
        }
        return ActivityDto.Of(task);
    }
}

public sealed class DeleteActivityHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.DeleteAsync(db.Activities, id, expectedVersion, "Activity", ct);
    }
}
