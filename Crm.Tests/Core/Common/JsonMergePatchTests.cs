using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Contacts;

namespace Crm.Tests.Core.Common;

public class JsonMergePatchTests
{
    // RFC 7396, Appendix A: every example, target + patch → result.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Merge_FollowsEveryExampleOfRfc7396(string target, string patch, string result)
    {
        var merged = JsonMergePatch.Merge(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(result), merged), merged?.ToJsonString());
    }

    [Fact]
    public void Apply_NamesOnlyTheFieldsGiven_AndKeepsTheRest()
    {
        var current = new ContactInput { FirstName = "Ada", Email = "ada@example.com", CustomFields = new() { ["tier"] = "gold", ["region"] = "emea" } };

        var (merged, fields) = JsonMergePatch.Apply(current, JsonNode.Parse("""{"jobTitle":"CTO","customFields":{"tier":null,"plan":"pro"},"Email":null}"""));

        Assert.Equal(("Ada", "CTO", (string?)null), (merged.FirstName, merged.JobTitle, merged.Email));
        Assert.Equal(new Dictionary<string, string?> { ["region"] = "emea", ["plan"] = "pro" }, merged.CustomFields);
        Assert.True(fields.Has("JobTitle") && fields.Has("CustomFields") && fields.Has("Email"));
        Assert.False(fields.Has("FirstName"));
    }

    [Theory]
    [InlineData("""{"nickname":"Ada"}""", "nickname", "not a field")]
    [InlineData("""{"lifecycle":null}""", "lifecycle", "cannot be removed")]
    [InlineData("""{"leadScore":"high"}""", "leadScore", "wrong type")]
    [InlineData("""{"lifecycle":"partner"}""", "lifecycle", "wrong type")]
    [InlineData("""{"firstName":"A","FirstName":"B"}""", "firstName", "given twice")]
    [InlineData("""["firstName"]""", "", "JSON object")]
    [InlineData("""{"customFields":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}}""", "customFields", "too deeply")]
    public void Apply_RefusesWhatItCannotApply_NamingTheField(string patch, string field, string message)
    {
        var error = Assert.Throws<ValidationFailedException>(() => JsonMergePatch.Apply(new ContactInput { FirstName = "Ada" }, JsonNode.Parse(patch)));

        Assert.Contains(error.Errors, e => e.Key == field && e.Value.Any(m => m.Contains(message, StringComparison.Ordinal)));
    }

    [Fact]
    public void Apply_WithNoBody_IsRefused() =>
        Assert.Throws<ValidationFailedException>(() => JsonMergePatch.Apply(new ContactInput(), null));
}
