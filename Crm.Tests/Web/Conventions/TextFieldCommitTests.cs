using System.Text.RegularExpressions;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Web.Conventions;

/// <summary>
/// A MudBlazor text or number field that commits only when it loses focus can drop what was typed just before a click
/// on Save (MudBlazor #13011): every such field in the app commits as it is typed (Immediate) or after a pause
/// (DebounceInterval, for searches).
/// </summary>
public class TextFieldCommitTests
{
    [Fact]
    public void EveryTextAndNumberField_CommitsAsItIsTyped()
    {
        var web = Path.Combine(TestPaths.RepoRoot, "Crm.Web");
        var late = new List<string>();
        foreach (var file in Directory.EnumerateFiles(web, "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (Match tag in Regex.Matches(text, "<Mud(TextField|NumericField)\\b(?:\"[^\"]*\"|[^\">])*>"))
            {
                if (tag.Value.Contains("Immediate=\"true\"", StringComparison.Ordinal) || tag.Value.Contains("DebounceInterval=", StringComparison.Ordinal)) continue;
                late.Add($"{Path.GetRelativePath(web, file)}: {tag.Value[..Math.Min(90, tag.Value.Length)]}");
            }
        }
        Assert.True(late.Count == 0, "Fields that commit only on blur:\n" + string.Join("\n", late));
    }
}
