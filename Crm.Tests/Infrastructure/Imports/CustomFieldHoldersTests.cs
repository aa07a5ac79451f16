using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// Only contacts keep custom field values: an account or deal custom field would look like a field and keep nothing, so
/// none can be made — by the custom fields page or by an import — and an import never offers one.
/// </summary>
public sealed class CustomFieldHoldersTests : WorkspaceTests
{
    [Theory]
    [InlineData(RecordType.Account)]
    [InlineData(RecordType.Deal)]
    public async Task AnAccountOrDealCustomField_IsRefused_ByThePageAndByAnImport_NothingSilentlyDropped(RecordType type)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(Ws.Admin(),
            h => h.HandleAsync(new NewCustomFieldInput { RecordType = type, Label = "Salesforce type" })));
        Assert.Contains("Only contacts have custom fields", error.Errors.Single().Value.Single());

        var draft = await Host.UploadAsync(Ws, "Name,Type\nAcme,Customer\n", type, "records.csv");
        Assert.DoesNotContain(draft.Fields, f => f.IsCustom);
        var mapping = draft.Mapping with { Columns = draft.Mapping.Columns.Select(c => c.Header == "Type" ? c with { Field = null, NewCustomFieldLabel = "Type" } : c).ToList() };
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, mapping, draft.Options)));
        Assert.Contains("have no custom fields yet", string.Join(" ", refused.Errors.SelectMany(e => e.Value)));

        // Contacts still do.
        var made = await Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(Ws.Admin(), h => h.HandleAsync(new NewCustomFieldInput { RecordType = RecordType.Contact, Label = "Shoe size" }));
        Assert.Equal("shoe_size", made.Key);
    }
}
