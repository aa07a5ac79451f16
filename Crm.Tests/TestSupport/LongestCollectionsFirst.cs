using Crm.Tests.TestSupport;
using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(LongestCollectionsFirst))]

namespace Crm.Tests.TestSupport;

/// <summary>
/// Starts the collections that take longest first, the rest in xUnit's own (shuffled) order: with two tests running at
/// a time, a long collection drawn last (the browser tests run one after another against one app, minutes in all)
/// would run alone at the end while the other slot idles.
/// </summary>
public sealed class LongestCollectionsFirst : ITestCollectionOrderer
{
    /// <summary>Names as they appear in collection display names, longest first.</summary>
    private static readonly string[] Longest =
    [
        Browser.LiveAppCollection.Name,
        "Crm.Tests.Web.CrashSafetyTests",
        "Crm.Tests.Browser.RunScriptTests",
    ];

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : notnull, ITestCollection
    {
        var shuffled = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return shuffled.OrderBy(Rank).ToList();

        int Rank(TTestCollection collection)
        {
            var index = Array.FindIndex(Longest, name => collection.TestCollectionDisplayName.Contains(name, StringComparison.Ordinal));
            return index < 0 ? Longest.Length : index;
        }
    }
}
