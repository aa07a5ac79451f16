namespace Crm.Core.Contacts;

/// <summary>The seed's lifecycle picklist, in funnel order.</summary>
public enum Lifecycle
{
    Lead = 0,
    Mql = 1,
    Sql = 2,
    Opportunity = 3,
    Customer = 4,
}
