using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Exports;
using Crm.Core.Fields;
using Crm.Core.Imports;
using Xunit;

namespace Crm.Tests.Core.Fields;

public class RecordFieldsTests
{
    public static TheoryData<RecordType> Types => [RecordType.Contact, RecordType.Account, RecordType.Deal];

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryExportHeader_IsSuggestedBackToItsOwnField(RecordType type)
    {
        // One list drives both sides, so a column exported under any header must come back to the same field.
        var exported = RecordFields.For(type).Where(f => f.Export is not null && f.Import is not null).ToList();

        var mapping = HeaderMatcher.Suggest(exported.Select(f => f.Export!.Header).ToList(), ImportFields.For(type));

        Assert.Equal(exported.Select(f => f.Key), mapping.Columns.Select(c => c.Field));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keys_AreUnique_AndEveryPropertyHasTypedAccess(RecordType type)
    {
        var fields = RecordFields.For(type);

        Assert.Equal(fields.Count, fields.Select(f => f.Key).Distinct().Count());
        Assert.All(fields.Where(f => f.Property is not null), f => Assert.Equal(f.Property, f.Access?.Name));
    }

    [Fact]
    public void ImportTarget_WritesThroughTheRegistryAccessors()
    {
        var target = ImportTarget.For(RecordType.Contact);
        var contact = target.New();

        target[target.PropertyOf("jobTitle")].Set(contact, "CTO");
        target[target.PropertyOf("company")].Set(contact, 42L);

        Assert.Equal("CTO", ((Crm.Core.Contacts.Contact)contact).JobTitle);
        Assert.Equal(42L, ((Crm.Core.Contacts.Contact)contact).AccountId);
        Assert.Equal(42L, target["AccountId"].Get(contact));
    }

    [Fact]
    public void ImportOnlyAndExportOnlyFields_HaveNoProperty()
    {
        Assert.Null(RecordFields.Contact.Single(f => f.Key == "fullName").Property);
        Assert.Null(RecordFields.Deal.Single(f => f.Key == "ownerName").Import);
        Assert.NotNull(RecordFields.Deal.Single(f => f.Key == "ownerName").Export);
    }

    [Fact]
    public void CustomField_IsImportedAndExportedUnderTheSameHeader()
    {
        var field = RecordFields.Custom(new CustomFieldView(1, RecordType.Contact, "renewal", "Renewal date", CustomFieldType.Date));

        var mapping = HeaderMatcher.Suggest([field.Export!.Header], [field.ToImportField()]);

        Assert.Equal("custom.renewal", mapping.Columns.Single().Field);
        Assert.Equal(ImportFieldKind.Date, field.Import!.Kind);
        Assert.Equal(ExportKind.Date, field.Export.Kind);
    }

    [Theory]
    [InlineData("AccountId", "Account")]
    [InlineData("StageId", "Stage")]
    [InlineData("LinkedInUrl", "LinkedIn URL")]
    [InlineData("AdditionalEmails", "Other emails")]
    [InlineData("CloseDate", "Close date")]
    [InlineData("SomethingNew", "Something new")]
    public void LabelOf_NamesPropertiesAsPeopleReadThem(string property, string label) =>
        Assert.Equal(label, RecordFields.LabelOf(property));
}
