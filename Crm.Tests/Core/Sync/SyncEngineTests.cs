using Crm.Core.Sync;

namespace Crm.Tests.Core.Sync;

/// <summary>The provider-free engine: the three cases of a linked record under each conflict rule, echoes and retries.</summary>
public class SyncEngineTests
{
    private static readonly DateTimeOffset Synced = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MappedField[] Mapping =
    [
        new("email", FieldDirection.Both), new("firstName", FieldDirection.Both), new("lifecycle", FieldDirection.Both),
        new("owner", FieldDirection.Both), new("source", FieldDirection.In), new("leadScore", FieldDirection.Out), new("notes", FieldDirection.None),
    ];

    private static readonly Dictionary<string, string?> Agreed = new()
    {
        ["email"] = "ada@example.com", ["firstName"] = "Ada", ["lifecycle"] = "lead", ["owner"] = "7", ["source"] = "web", ["leadScore"] = "40",
    };

    private static IEnumerable<string> Keys => Mapping.Where(m => m.Direction != FieldDirection.None).Select(m => m.Field);

    private static SyncBase Base => new(Side(Agreed).Hash(Keys), Side(Agreed).Hash(Keys), Agreed, Agreed, Synced);

    private static SyncSide Side(Dictionary<string, string?> fields, DateTimeOffset? at = null, DateTimeOffset? deletedAt = null,
        Dictionary<string, DateTimeOffset>? fieldTimes = null) => new(fields, at ?? Synced, fieldTimes, deletedAt);

    private static Dictionary<string, string?> With(params (string Field, string? Value)[] changes)
    {
        var fields = new Dictionary<string, string?>(Agreed);
        foreach (var (field, value) in changes) fields[field] = value;
        return fields;
    }

    private static SyncRules Rule(ConflictStrategy strategy) => new(strategy, new Dictionary<string, ConflictStrategy>());

    [Fact]
    public void NeitherSideChanged_IsInStep_AndTheirUntouchedRewriteOfOurValues_IsAnEcho()
    {
        Assert.Equal((SyncAction.None, "in step"), Decide(Side(Agreed), Side(Agreed)) is var d ? (d.Action, d.Reason) : default);
        var echo = SyncEngine.Decide(Base, Side(Agreed), Side(Agreed, Synced.AddSeconds(3)), Mapping, SyncRules.Seed);
        Assert.True(echo.IsEcho);
        Assert.Empty(echo.ToLocal);
        Assert.Empty(echo.ToRemote);
    }

    private static SyncDecision Decide(SyncSide local, SyncSide remote, SyncRules? rules = null) => SyncEngine.Decide(Base, local, remote, Mapping, rules ?? SyncRules.Seed);

    [Fact]
    public void AFieldOnlyOneSideChanged_TravelsTheWayItsMappingAllows()
    {
        var theirs = Decide(Side(Agreed), Side(With(("firstName", "Augusta"), ("source", "event")), Synced.AddMinutes(5)));
        Assert.Equal(SyncAction.Update, theirs.Action);
        Assert.Equal(new Dictionary<string, string?> { ["firstName"] = "Augusta", ["source"] = "event" }, theirs.ToLocal);
        Assert.Empty(theirs.ToRemote);

        var ours = Decide(Side(With(("leadScore", "85"), ("source", "ours-only"), ("notes", "not synced")), Synced.AddMinutes(5)), Side(Agreed));
        Assert.Equal(new Dictionary<string, string?> { ["leadScore"] = "85" }, ours.ToRemote);
        Assert.Empty(ours.ToLocal);
    }

    [Theory]
    [InlineData(ConflictStrategy.OursWins, "ours")]
    [InlineData(ConflictStrategy.TheirsWins, "theirs")]
    [InlineData(ConflictStrategy.LastWriteWins, "theirs")]
    [InlineData(ConflictStrategy.Manual, null)]
    [InlineData(ConflictStrategy.KeepCurrent, "kept")]
    public void ChangedChanged_IsSettledByTheRule(ConflictStrategy strategy, string? winner)
    {
        var decision = Decide(Side(With(("firstName", "Ada L.")), Synced.AddMinutes(1)), Side(With(("firstName", "Augusta")), Synced.AddMinutes(2)), Rule(strategy));
        var conflict = Assert.Single(decision.Conflicts);
        Assert.Equal(("firstName", "Ada L.", "Augusta", strategy, winner), (conflict.Field, conflict.Ours, conflict.Theirs, conflict.Rule, conflict.Winner));
        Assert.Equal(winner == "ours" ? "Ada L." : null, decision.ToRemote.GetValueOrDefault("firstName"));
        Assert.Equal(winner == "theirs" ? "Augusta" : null, decision.ToLocal.GetValueOrDefault("firstName"));
        Assert.Equal(winner switch { null => SyncAction.Queue, "kept" => SyncAction.None, _ => SyncAction.Update }, decision.Action);
    }

    [Fact]
    public void LastWriteWins_UsesEachFieldsOwnTime_WhenTheSideKnowsIt()
    {
        // Their record changed last, but their firstName changed before ours did.
        var decision = Decide(
            Side(With(("firstName", "Ada L.")), Synced.AddMinutes(3)),
            Side(With(("firstName", "Augusta")), Synced.AddMinutes(9), fieldTimes: new() { ["firstName"] = Synced.AddMinutes(1) }),
            Rule(ConflictStrategy.LastWriteWins));
        Assert.Equal("ours", Assert.Single(decision.Conflicts).Winner);
        Assert.Equal("Ada L.", decision.ToRemote["firstName"]);
    }

    [Fact]
    public void FieldPriority_FollowsTheSeedsTable_FieldByField_AndOwnersKeepTheirCurrentValue()
    {
        var decision = Decide(
            Side(With(("email", "ada@ours.example"), ("lifecycle", "customer"), ("firstName", "Ada L."), ("owner", "8")), Synced.AddMinutes(1)),
            Side(With(("email", "ada@theirs.example"), ("lifecycle", "opportunity"), ("firstName", "Augusta"), ("owner", "9")), Synced.AddMinutes(2)));
        var winners = decision.Conflicts.ToDictionary(c => c.Field, c => (c.Rule, c.Winner));
        Assert.Equal((ConflictStrategy.OursWins, "ours"), winners["email"]);
        Assert.Equal((ConflictStrategy.TheirsWins, "theirs"), winners["lifecycle"]);
        Assert.Equal((ConflictStrategy.LastWriteWins, "theirs"), winners["firstName"]);
        Assert.Equal((ConflictStrategy.KeepCurrent, "kept"), winners["owner"]);
        Assert.Equal(new Dictionary<string, string?> { ["email"] = "ada@ours.example" }, decision.ToRemote);
        Assert.Equal(new Dictionary<string, string?> { ["lifecycle"] = "opportunity", ["firstName"] = "Augusta" }, decision.ToLocal);
    }

    [Theory]
    [InlineData(ConflictStrategy.OursWins, 10, SyncAction.ArchiveRemote)]
    [InlineData(ConflictStrategy.TheirsWins, 10, SyncAction.RestoreLocal)]
    [InlineData(ConflictStrategy.LastWriteWins, 10, SyncAction.ArchiveRemote)]
    [InlineData(ConflictStrategy.LastWriteWins, 1, SyncAction.RestoreLocal)]
    [InlineData(ConflictStrategy.FieldPriority, 1, SyncAction.RestoreLocal)]
    [InlineData(ConflictStrategy.Manual, 10, SyncAction.Queue)]
    public void DeletedHere_ChangedThere_IsSettledByTheDefaultRule(ConflictStrategy strategy, int deletedMinutesAfter, SyncAction expected)
    {
        var decision = Decide(Side(Agreed, deletedAt: Synced.AddMinutes(deletedMinutesAfter)), Side(With(("firstName", "Augusta")), Synced.AddMinutes(5)), Rule(strategy));
        Assert.Equal(expected, decision.Action);
        if (expected == SyncAction.RestoreLocal)
        {
            Assert.Equal("Augusta", decision.ToLocal["firstName"]);
            Assert.False(decision.ToLocal.ContainsKey("leadScore"), "an outgoing-only field is not taken from them");
        }
    }

    [Theory]
    [InlineData(ConflictStrategy.OursWins, 10, SyncAction.RestoreRemote)]
    [InlineData(ConflictStrategy.TheirsWins, 10, SyncAction.DeleteLocal)]
    [InlineData(ConflictStrategy.LastWriteWins, 10, SyncAction.DeleteLocal)]
    [InlineData(ConflictStrategy.LastWriteWins, 1, SyncAction.RestoreRemote)]
    [InlineData(ConflictStrategy.Manual, 10, SyncAction.Queue)]
    public void ChangedHere_ArchivedThere_IsSettledByTheDefaultRule(ConflictStrategy strategy, int archivedMinutesAfter, SyncAction expected)
    {
        var decision = Decide(Side(With(("leadScore", "90")), Synced.AddMinutes(5)), Side(Agreed, deletedAt: Synced.AddMinutes(archivedMinutesAfter)), Rule(strategy));
        Assert.Equal(expected, decision.Action);
        if (expected == SyncAction.RestoreRemote) Assert.Equal("90", decision.ToRemote["leadScore"]);
    }

    [Fact]
    public void ADeleteOnOneSideOnly_Travels_AndOnBoth_TheLinkCloses()
    {
        Assert.Equal(SyncAction.ArchiveRemote, Decide(Side(Agreed, deletedAt: Synced.AddMinutes(1)), Side(Agreed)).Action);
        Assert.Equal(SyncAction.DeleteLocal, Decide(Side(Agreed), Side(Agreed, deletedAt: Synced.AddMinutes(1))).Action);
        Assert.Equal(SyncAction.Unlink, Decide(Side(Agreed, deletedAt: Synced), Side(Agreed, deletedAt: Synced)).Action);
    }

    [Fact]
    public void ARetriedWrite_FindsNothingLeftToDo_OnceTheLinkRecordsWhatWasWritten()
    {
        var local = Side(With(("leadScore", "85")), Synced.AddMinutes(1));
        var remote = Side(With(("firstName", "Augusta")), Synced.AddMinutes(2));
        var first = Decide(local, remote);
        Assert.Equal(SyncAction.Update, first.Action);

        // Both writes happened (the first attempt's answer was lost, say); the link keeps what both sides now hold.
        var localAfter = Side(With(("leadScore", "85"), ("firstName", "Augusta")), Synced.AddMinutes(3));
        var remoteAfter = Side(With(("leadScore", "85"), ("firstName", "Augusta")), Synced.AddMinutes(3));
        var agreed = new Dictionary<string, string?>(localAfter.Fields);
        var next = new SyncBase(localAfter.Hash(Keys), remoteAfter.Hash(Keys), agreed, agreed, Synced.AddMinutes(3));
        var again = SyncEngine.Decide(next, localAfter, remoteAfter, Mapping, SyncRules.Seed);
        Assert.Equal(SyncAction.None, again.Action);
        Assert.Empty(again.ToRemote);
    }

    [Fact]
    public void SidesLeftDifferent_AreComparedEachWithItsOwn_SoAKeptOwnerDoesNotFlowBackLater()
    {
        // Last run each side kept its own owner: ours 8, theirs 9 (in our terms). Nothing changed since.
        var local = With(("owner", "8"));
        var remote = With(("owner", "9"));
        var kept = new SyncBase(Side(local).Hash(Keys), Side(remote).Hash(Keys), local, remote, Synced);
        var decision = SyncEngine.Decide(kept, Side(local, Synced.AddMinutes(1)), Side(With(("owner", "9"), ("firstName", "Augusta")), Synced.AddMinutes(2)), Mapping, SyncRules.Seed);
        Assert.Equal(new Dictionary<string, string?> { ["firstName"] = "Augusta" }, decision.ToLocal);
        Assert.Empty(decision.ToRemote);
        Assert.Empty(decision.Conflicts);
    }

    [Fact]
    public void APairMatchedForTheFirstTime_SettlesEveryDifferingFieldByTheRules()
    {
        var decision = SyncEngine.Decide(SyncBase.New(Synced), Side(With(("lifecycle", "customer"), ("email", "ada@ours.example"))),
            Side(With(("lifecycle", "lead"), ("email", "ada@theirs.example"))), Mapping, SyncRules.Seed);
        Assert.Equal("lead", decision.ToLocal["lifecycle"]);
        Assert.Equal("ada@ours.example", decision.ToRemote["email"]);
    }

    [Fact]
    public void EmptyAndMissingValues_AreTheSame_SoClearingOnBothSidesIsNoConflict()
    {
        var decision = Decide(Side(With(("firstName", ""))), Side(With(("firstName", null))));
        Assert.Empty(decision.Conflicts);
        Assert.Equal(SyncAction.None, decision.Action);
    }
}

public class OwnerRulesTests
{
    [Fact]
    public void Owners_AreMatchedByEmail_IncomingUnmappedFallsBackToTheChosenAdmin_AndOutgoingUnmappedGoesWithoutOne()
    {
        var mapped = OwnerRules.MatchByEmail(
            [("41629779", "Owner@Sandbox.example"), ("41629780", " rep@example.com "), ("41629782", "departed@sandbox.example"), ("41629783", null)],
            [(11, "owner@sandbox.example"), (12, "rep@example.com"), (13, "admin@example.com")]);
        Assert.Equal(new Dictionary<string, long> { ["41629779"] = 11, ["41629780"] = 12 }, mapped);

        var rules = new OwnerRules(mapped, fallbackUserId: 13);
        Assert.Equal((12L, OwnerRules.Source.Mapped), rules.Incoming("41629780"));
        Assert.Equal((13L, OwnerRules.Source.Fallback), rules.Incoming("41629782"));
        Assert.Equal((13L, OwnerRules.Source.Fallback), rules.Incoming(null));
        Assert.Equal(("41629779", OwnerRules.Source.Mapped), rules.Outgoing(11));
        Assert.Equal(((string?)null, OwnerRules.Source.None), rules.Outgoing(13));
    }
}
