using Crm.Core.Integrations.HubSpot;
using Crm.Core.Sync;

namespace Crm.Tests.Core.Sync;

public class FieldMapTests
{
    [Fact]
    public void TheSeedsContactMapping_ConvertsBothWays_WithLifecycleStages_AndOneWayFieldsStayOneWay()
    {
        var problems = new List<string>();
        var ours = HubSpotMappings.Contacts.ToOurs(new Dictionary<string, string?>
        {
            ["firstname"] = "Ada", ["email"] = "ada@example.com", ["lifecyclestage"] = "marketingqualifiedlead", ["hs_analytics_source"] = "ORGANIC_SEARCH",
            ["hs_object_id"] = "51", ["jobtitle"] = "",
        }, problems);
        Assert.Empty(problems);
        Assert.Equal(new Dictionary<string, string?> { ["firstName"] = "Ada", ["email"] = "ada@example.com", ["lifecycle"] = "mql", ["source"] = "ORGANIC_SEARCH", ["jobTitle"] = null }, ours);

        var theirs = HubSpotMappings.Contacts.ToTheirs(new Dictionary<string, string?> { ["lastName"] = "Lovelace", ["lifecycle"] = "customer", ["leadScore"] = "90" }, problems);
        Assert.Equal(new Dictionary<string, string?> { ["lastname"] = "Lovelace", ["lifecyclestage"] = "customer" }, theirs);
        Assert.Contains("hs_analytics_source", HubSpotMappings.Contacts.TheirProperties);
        Assert.Equal(FieldDirection.In, HubSpotMappings.Contacts.Fields.Single(f => f.Field == "source").Direction);
    }

    [Fact]
    public void SeveralOfTheirValues_MeanOneOfOurs_AndAnUnknownValue_IsNamedNotGuessed()
    {
        var problems = new List<string>();
        var merged = new FieldMap([new FieldMapEntry("lifecyclestage", "lifecycle", FieldDirection.Both, [("customer", "customer"), ("evangelist", "customer")])]);
        Assert.Equal("customer", merged.ToOurs(new Dictionary<string, string?> { ["lifecyclestage"] = "evangelist" }, problems)["lifecycle"]);
        Assert.Equal("customer", merged.ToTheirs(new Dictionary<string, string?> { ["lifecycle"] = "customer" }, problems)["lifecyclestage"]);
        // HubSpot's standard stages are ours too: one for one by default.
        Assert.Equal("evangelist", HubSpotMappings.Contacts.ToOurs(new Dictionary<string, string?> { ["lifecyclestage"] = "evangelist" }, problems)["lifecycle"]);
        Assert.Equal("subscriber", HubSpotMappings.Contacts.ToTheirs(new Dictionary<string, string?> { ["lifecycle"] = "subscriber" }, problems)["lifecyclestage"]);
        var ours = HubSpotMappings.Contacts.ToOurs(new Dictionary<string, string?> { ["lifecyclestage"] = "partner", ["firstname"] = "Ada" }, problems);
        Assert.False(ours.ContainsKey("lifecycle"));
        Assert.Equal("Ada", ours["firstName"]);
        Assert.Equal("lifecyclestage \"partner\" has no lifecycle value here; add it to the mapping.", Assert.Single(problems));
    }

    [Fact]
    public void Validate_NamesUnknownFields_FieldsFilledTwice_AndPicklistValuesThatDoNotExist()
    {
        var map = new FieldMap(
        [
            new("firstname", "firstName", FieldDirection.Both), new("nickname", "firstName", FieldDirection.In), new("favourite", "colour", FieldDirection.Both),
            new("lifecyclestage", "lifecycle", FieldDirection.Both, [("lead", "lead"), ("partner", "vip")]), new("unused", "nothing", FieldDirection.None),
        ]);
        var problems = map.Validate(new HashSet<string> { "firstName", "lifecycle" }, new HashSet<string> { "firstname", "nickname", "lifecyclestage" },
            new Dictionary<string, IReadOnlySet<string>> { ["lifecyclestage"] = new HashSet<string> { "lead", "customer" } },
            new Dictionary<string, IReadOnlySet<string>> { ["lifecycle"] = new HashSet<string> { "lead", "mql", "sql", "opportunity", "customer" } });
        Assert.Equal(
        [
            "\"colour\" is not a field here.", "\"favourite\" is not a property there.", "\"partner\" is not one of lifecyclestage's options there.",
            "\"vip\" is not one of lifecycle's values here.", "\"firstName\" would be filled from firstname and nickname; keep one coming in.",
        ], problems);
        Assert.Empty(HubSpotMappings.Contacts.Validate(
            new HashSet<string> { "firstName", "lastName", "email", "phone", "jobTitle", "company", "lifecycle", "scoreTier", "owner", "source", "sourceDetail" },
            new HashSet<string>(HubSpotMappings.Contacts.TheirProperties)));
    }
}
