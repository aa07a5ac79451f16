using System.Text.RegularExpressions;

namespace Crm.Tests.TestSupport;

/// <summary>The real files the tests read live in the repository, each named with its origin and licence.</summary>
public partial class TestDataTests
{
    [Fact]
    public void TestData_HoldsExactlyTheFilesItsProvenanceNames()
    {
        var provenance = File.ReadAllText(Path.Combine(TestPaths.TestData, "PROVENANCE.md"));
        var listed = ListedFile().Matches(provenance).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
        var present = Directory.GetFiles(TestPaths.TestData, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestPaths.TestData, f).Replace('\\', '/'))
            .Where(f => f != "PROVENANCE.md").Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(listed, present);
        Assert.True(present.Length >= 50, $"Only {present.Length} test files: the repository is incomplete.");
    }

    [Fact]
    public void TestData_IsInsideTheRepository()
    {
        var data = Path.GetFullPath(TestPaths.TestData);

        Assert.StartsWith(Path.GetFullPath(TestPaths.RepoRoot) + Path.DirectorySeparatorChar, data, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\| `([^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ListedFile();
}
