namespace Crm.Tests.TestSupport;

public static class TestPaths
{
    /// <summary>The repository root (the folder holding Crm.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Real files written by others, copied into the repository (see its PROVENANCE.md).</summary>
    public static string TestData => Path.Combine(RepoRoot, "Crm.Tests", "TestData");

    /// <summary>The files of a folder of <see cref="TestData"/>; none is an error, never fewer test cases.</summary>
    public static string[] TestDataFiles(string folder, string pattern = "*")
    {
        var path = Path.Combine(TestData, folder);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, pattern, SearchOption.AllDirectories) : [];
        if (files.Length == 0) throw new InvalidOperationException($"No test data in {path}: the repository is incomplete.");
        return files;
    }

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
