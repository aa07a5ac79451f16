namespace Crm.Tests.TestSupport;

public static class TestPaths
{
    /// <summary>The repository root (the folder holding Crm.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Real files written by others, shared with CI: ../shared/testdata next to the repository.</summary>
    public static string TestData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata"));

    /// <summary>Debug or Release: the configuration these tests were built with, so apps started as processes match.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    public static string ProjectOutput(string project) =>
        Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", project + ".dll");

    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "crm-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Crm.sln"))) return dir.FullName;
        throw new InvalidOperationException("Crm.sln not found above " + AppContext.BaseDirectory);
    }
}
