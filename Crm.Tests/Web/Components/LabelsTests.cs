using Crm.Web.Components.Shared;

namespace Crm.Tests.Web.Components;

/// <summary>Words and numbers the pages print: one is singular, thousands are separated whatever the server's culture.</summary>
public sealed class LabelsTests
{
    [Theory]
    [InlineData(0, "row", null, "0 rows")]
    [InlineData(1, "row", null, "1 row")]
    [InlineData(2000, "row", null, "2,000 rows")]
    [InlineData(1, "entry", "entries", "1 entry")]
    [InlineData(3, "entry", "entries", "3 entries")]
    public void Count_IsSingularForOne_AndPluralOtherwise(int value, string noun, string? plural, string expected) =>
        Assert.Equal(expected, Labels.Count(value, noun, plural));
}
