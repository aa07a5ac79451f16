using Crm.Core.Common;
using Crm.Core.Runs;
using Crm.Infrastructure.Jobs;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Runs;

/// <summary>The run model on a real SQLite file: one runner at a time, heartbeats, failures and the rescue.</summary>
public class RunServiceTests : WorkspaceTests
{
    private IRunService Runs => Host.Resolve<IRunService>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<Run> QueueAsync(long subjectId = 7, DateTimeOffset? notBefore = null) =>
        Runs.QueueAsync(new RunRequest(RunKind.Export, Ws.Id, subjectId, Ws.AdminId, notBefore), Ct);

    [Fact]
    public async Task Queue_Twice_JoinsTheActiveRun_AndHandsItOutOnce()
    {
        var first = await QueueAsync();
        var second = await QueueAsync();

        Assert.Equal(first.Id, second.Id);
        Assert.Equal((RunStatus.Queued, Ws.AdminId), (first.Status, first.RequestedByUserId));
        Assert.Equal(1, Host.Runs.Pending(RunKind.Export));
        Assert.NotEqual(first.Id, (await QueueAsync(subjectId: 8)).Id);
    }

    [Fact]
    public async Task Claim_IsOneRunnersAtATime_UntilItsHeartbeatStops()
    {
        var run = await QueueAsync();
        Assert.NotNull(await Runs.ClaimAsync(run.Id, "one", Ct));
        Assert.Null(await Runs.ClaimAsync(run.Id, "two", Ct));
        Assert.True(await Runs.BeatAsync(run.Id, "one", new RunProgress("Writing", 10, 100), Ct));

        Host.Time.Advance(RunLimits.DefaultStaleAfter + TimeSpan.FromSeconds(1));
        var taken = await Runs.ClaimAsync(run.Id, "two", Ct);

        Assert.Equal((2, "Writing", 10L, 100L), (taken!.Attempts, taken.Stage, taken.Done, taken.Total));
        // The first runner comes back: its beats and its finish are refused, the run stays the second one's.
        Assert.False(await Runs.BeatAsync(run.Id, "one", new RunProgress("Writing", 20), Ct));
        Assert.False(await Runs.FinishAsync(run.Id, "one", new RunOutcome(RunStatus.Succeeded, "done"), Ct));
        Assert.True(await Runs.FinishAsync(run.Id, "two", new RunOutcome(RunStatus.Succeeded, "100 rows", new RunProgress("Done", 100)), Ct));
        var finished = (await Runs.GetAsync(run.Id, Ct))!;
        Assert.Equal((RunStatus.Succeeded, "100 rows", 100L, null), (finished.Status, finished.Summary, finished.Done, finished.RunnerId));
        Assert.NotNull(finished.FinishedAt);
    }

    [Fact]
    public async Task Rescue_HandsOutDeadAndLostRuns_AndErrorsUntilTheyFailTooOften()
    {
        var dead = await QueueAsync(subjectId: 1);
        await Runs.ClaimAsync(dead.Id, "dead", Ct);
        var failing = await QueueAsync(subjectId: 2);
        var later = await QueueAsync(subjectId: 3, notBefore: Host.Time.GetUtcNow().AddMinutes(10));
        await Host.Runs.RunAllAsync(RunKind.DuplicateScan, Ct); // nothing of that kind
        Assert.Empty(await Runs.FindStalledAsync(Ct));

        Host.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal([dead.Id, failing.Id], (await Runs.FindStalledAsync(Ct)).Select(r => r.RunId));

        for (var attempt = 1; attempt <= RunLimits.MaxFailures; attempt++)
        {
            Assert.NotNull(await Runs.ClaimAsync(failing.Id, $"r{attempt}", Ct));
            await Runs.ReleaseAsync(failing.Id, $"r{attempt}", "The file store is full.", Ct);
            Assert.DoesNotContain(failing.Id, (await Runs.FindStalledAsync(Ct)).Select(r => r.RunId)); // it waits out its pause first
            Host.Time.Advance(TimeSpan.FromMinutes(3));
        }
        var given = (await Runs.GetAsync(failing.Id, Ct))!;
        Assert.Equal((RunStatus.Queued, RunLimits.MaxFailures, "The file store is full."), (given.Status, given.Failures, given.LastError));
        Assert.DoesNotContain(failing.Id, (await Runs.FindStalledAsync(Ct)).Select(r => r.RunId));
        Assert.Contains(later.Id, (await Runs.FindStalledAsync(Ct)).Select(r => r.RunId)); // its time has come (and gone)

        // A person asks for it again: its failures are forgotten and it is handed out.
        await Runs.RetryAsync(failing.Id, Ct);
        Assert.Equal(0, (await Runs.GetAsync(failing.Id, Ct))!.Failures);
        Assert.Equal(3, await RunRescueJob.RescueAsync(Runs, Host.Runs, Ct));
        Assert.Equal(3, Host.Runs.Pending(RunKind.Export));
    }

    [Fact]
    public async Task Runs_AreSeenOnlyInTheirOwnWorkspace()
    {
        var other = await Host.CreateWorkspaceAsync("Other");
        await QueueAsync();
        await Runs.QueueAsync(new RunRequest(RunKind.Export, other.Id, 7, other.AdminId), Ct);

        await using var db = Host.Database.Create(Ws.Admin());
        var mine = await db.Runs.ToListAsync(Ct);
        Assert.Equal([Ws.Id], mine.Select(r => r.WorkspaceId));
        Assert.NotEqual((await Runs.LatestAsync(Ws.Id, RunKind.Export, 7, Ct))!.Id, (await Runs.LatestAsync(other.Id, RunKind.Export, 7, Ct))!.Id);
    }

    [Fact]
    public async Task Release_OnShutdown_LetsAnotherRunnerTakeItAtOnce()
    {
        var run = await QueueAsync();
        await Runs.ClaimAsync(run.Id, "stopping", Ct);
        await Runs.ReleaseAsync(run.Id, "stopping", null, Ct);

        var next = await Runs.ClaimAsync(run.Id, "next", Ct);
        Assert.Equal((2, 0), (next!.Attempts, next.Failures));
    }
}
