namespace Crm.Core.Common;

/// <summary>Base of every persisted row: a database-generated integer key.</summary>
public abstract class Entity
{
    public long Id { get; set; }
}
