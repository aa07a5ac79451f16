using Crm.Core.Deals;
using Crm.Core.Imports;

namespace Crm.Tests.Core.Imports;

/// <summary>Columns profiled over the whole file, and the picklist values in them no option takes, found before any test run.</summary>
public sealed class UnknownPicklistValuesTests
{
    private static readonly IReadOnlyList<PipelineView> Pipelines =
    [
        new(1, "Sales", true, [new(1, "Qualified", 1, 10, false, false), new(2, "Closed won", 2, 100, true, false)]),
        new(2, "Renewals", false, [new(3, "Up for renewal", 1, 50, false, false)]),
    ];

    private static ColumnProfile Profile(params string?[] values)
    {
        var profiler = new ColumnProfiler();
        foreach (var value in values) profiler.Add([value]);
        return profiler.Build(1)[0];
    }

    [Fact]
    public void Profiler_CountsEachTrimmedValue_MostFrequentFirst_AndTheRowsWithAValue()
    {
        var profile = Profile("lead", " Customer ", "", null, "Customer", "lead", "lead");
        Assert.Equal(5, profile.NonEmpty);
        Assert.Equal([new ValueCount("lead", 3), new ValueCount("Customer", 2)], profile.Values);
    }

    [Fact]
    public void Profiler_StopsListingAColumn_WithTooManyDifferentValues_OrALongOne_ButKeepsCountingIt()
    {
        var many = Profile(Enumerable.Range(0, ColumnProfiler.MaxDistinct + 1).Select(i => $"v{i}").ToArray());
        Assert.Null(many.Values);
        Assert.Equal(ColumnProfiler.MaxDistinct + 1, many.NonEmpty);
        Assert.Null(Profile("lead", new string('x', ColumnProfiler.MaxValueLength + 1)).Values);
        Assert.NotNull(Profile(Enumerable.Range(0, ColumnProfiler.MaxDistinct).Select(i => $"v{i}").ToArray()).Values);
    }

    [Fact]
    public void Profiler_ReportsAColumnNoRowReaches_AsEmpty()
    {
        var profiler = new ColumnProfiler();
        profiler.Add(["a", ""]);
        var profiles = profiler.Build(3);
        Assert.False(profiles[0].IsEmpty);
        Assert.True(profiles[1].IsEmpty);
        Assert.True(profiles[2].IsEmpty);
    }

    [Fact]
    public void LifecycleValues_NoStageOrSynonymTakes_AreUnknown_AsOftenAsTheyOccur()
    {
        var unknown = UnknownPicklistValues.Of(ImportFieldKind.Picklist, Profile("Marketing Qualified Lead", "subscriber", "Partner", "Partner", "CUSTOMER", "Reseller"), Pipelines);
        Assert.Equal([new ValueCount("Partner", 2), new ValueCount("Reseller", 1)], unknown);
    }

    [Fact]
    public void StagesAndPipelines_AreKnownByName_CaseAside_InAnyPipeline()
    {
        Assert.Equal([new ValueCount("Negotiation", 1)],
            UnknownPicklistValues.Of(ImportFieldKind.Stage, Profile("closed WON", "Up for renewal", "Negotiation"), Pipelines));
        Assert.Equal([new ValueCount("Partners", 1)], UnknownPicklistValues.Of(ImportFieldKind.Pipeline, Profile("sales", "Partners"), Pipelines));
        Assert.Equal(["Qualified", "Closed won", "Up for renewal"], UnknownPicklistValues.Options(ImportFieldKind.Stage, Pipelines));
    }

    [Fact]
    public void AColumnTooVariedToList_HasNoUnknownList_TheTestImportFindsThem()
    {
        var varied = Profile(Enumerable.Range(0, ColumnProfiler.MaxDistinct + 1).Select(i => $"stage {i}").ToArray());
        Assert.Null(UnknownPicklistValues.Of(ImportFieldKind.Picklist, varied, Pipelines));
    }
}
