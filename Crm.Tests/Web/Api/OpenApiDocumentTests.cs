using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Crm.Tests.Web.Api;

/// <summary>
/// The published OpenAPI document read back by an OpenAPI reader and checked with its validation rules: what Make,
/// Zapier's schema import or a generated client reads must be a valid document, every operation named and described.
/// </summary>
public class OpenApiDocumentTests : ApiTestBase
{
    [Fact]
    public async Task TheOpenApiDocument_IsValid_AndEveryOperationHasAnIdAndASummary()
    {
        var client = Factory.CreateClient();
        var json = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var settings = new OpenApiReaderSettings();
        var read = await OpenApiDocument.LoadAsync(stream, "json", settings, TestContext.Current.CancellationToken);

        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = Assert.IsType<OpenApiDocument>(read.Document);
        var problems = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Pointer}: {p.Message}")));

        var operations = document.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value))).ToList();
        Assert.True(operations.Count > 80, $"only {operations.Count} operations");
        var unnamed = operations.Where(o => string.IsNullOrWhiteSpace(o.Operation.OperationId) || string.IsNullOrWhiteSpace(o.Operation.Summary))
            .Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.True(unnamed.Count == 0, "Operations without an operationId or summary:\n" + string.Join("\n", unnamed));
        Assert.Contains(document.Paths.Keys, p => p == "/api/v1/webhooks/subscriptions");
        Assert.Contains(document.Paths.Keys, p => p == "/api/v1/webhooks/zapier");
    }
}
