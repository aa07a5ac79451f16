using Crm.Core.Common;
using Crm.Core.Duplicates;

namespace Crm.Tests.Core.Duplicates;

public class MergePicksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static readonly DuplicatePairView Pair = new(9, RecordType.Contact,
        new RecordSummary(1, "Ada Lovelace", "ada@old.example", null, Now), new RecordSummary(2, "Ada Lovelace", "ada@new.example", null, Now.AddDays(1)),
        90, ["Same name at the same account"], DuplicateStatus.Open);

    // Record B is newer: by default its values win, except where it has none.
    private static readonly MergeField[] Fields =
    [
        new("Email", "Email", "ada@old.example", "ada@new.example", MergeSide.Loser),
        new("JobTitle", "Job title", "VP Sales", "Head of Sales", MergeSide.Loser),
        new("Phone", "Phone", "+14155552671", null, MergeSide.Winner),
        new("City", "City", "London", "London", MergeSide.Winner),
        new("AdditionalEmails", "Other emails", "a@x.example", "b@x.example", MergeSide.Winner),
    ];

    [Fact]
    public void KeepingA_WithNoPicks_KeepsTheDefaults()
    {
        var request = MergePicks.Request(Pair, Fields, new Dictionary<string, PairColumn>(), PairColumn.A);

        Assert.Equal((1L, 2L), (request.WinnerId, request.LoserId));
        Assert.Equal(new Dictionary<string, MergeSide> { ["Email"] = MergeSide.Loser, ["JobTitle"] = MergeSide.Loser, ["Phone"] = MergeSide.Winner }, request.Choices);
    }

    [Fact]
    public void KeepingB_KeepsTheSameValues_SeenFromTheOtherSide()
    {
        var picks = new Dictionary<string, PairColumn> { ["JobTitle"] = PairColumn.A };

        var request = MergePicks.Request(Pair, Fields, picks, PairColumn.B);

        // B stays: its email (picked by default) is the winner's; A's job title and phone (picked) are the loser's.
        Assert.Equal((2L, 1L), (request.WinnerId, request.LoserId));
        Assert.Equal(new Dictionary<string, MergeSide> { ["Email"] = MergeSide.Winner, ["JobTitle"] = MergeSide.Loser, ["Phone"] = MergeSide.Loser }, request.Choices);
    }

    [Fact]
    public void AFieldWithTheSameValue_OrCombinedEmails_IsNotAChoice()
    {
        var request = MergePicks.Request(Pair, Fields, new Dictionary<string, PairColumn> { ["City"] = PairColumn.B, ["AdditionalEmails"] = PairColumn.B }, PairColumn.A);

        Assert.False(request.Choices!.ContainsKey("City"));
        Assert.False(request.Choices.ContainsKey("AdditionalEmails"));
    }
}
